package io.meshrpc.transport.zmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.meshrpc.wire.WireFormatException;

class BatchFrameTest {

    @Test
    void itemsComeBackInOrderWithTheirTypesAndBytes() {
        BatchFrame frame = new BatchFrame();
        byte[] large = new byte[300];
        Arrays.fill(large, (byte) 'x');
        frame.envelope(utf8("{\"v\":1}"));
        frame.ack(utf8("id-1"));
        frame.nack(utf8("id-2"), utf8("{\"type\":\"meshrpc.Draining\"}"));
        frame.envelope(large);

        BatchFrameReader reader = new BatchFrameReader(frame.toBytes());

        assertThat(reader.next()).isTrue();
        assertThat(reader.type()).isEqualTo(BatchFrame.ENVELOPE);
        assertThat(reader.text()).isEqualTo("{\"v\":1}");
        assertThat(reader.next()).isTrue();
        assertThat(reader.type()).isEqualTo(BatchFrame.ACK);
        assertThat(reader.text()).isEqualTo("id-1");
        assertThat(reader.next()).isTrue();
        assertThat(reader.nack()).isEqualTo(new BatchFrameReader.Nack("id-2", "{\"type\":\"meshrpc.Draining\"}"));
        assertThat(reader.next()).isTrue();
        assertThat(reader.length()).isEqualTo(300);
        assertThat(reader.next()).isFalse();
        assertThat(frame.items()).isEqualTo(4);
    }

    @Test
    void lengthsAreLeb128Varints() {
        BatchFrame frame = new BatchFrame();
        frame.ack(new byte[300]);

        // 300 = 0b10_0101100: low seven bits with the continuation bit, then 2.
        assertThat(Arrays.copyOf(frame.toBytes(), 4)).containsExactly(0x02, 'A', 0xAC, 0x02);
        assertThat(BatchFrame.varintSize(127)).isEqualTo(1);
        assertThat(BatchFrame.varintSize(128)).isEqualTo(2);
        assertThat(BatchFrame.varintSize(1 << 20)).isEqualTo(3);
    }

    @Test
    void clearedFrameStartsAgainWithOnlyTheFormatByte() {
        BatchFrame frame = new BatchFrame();
        frame.envelope(new byte[100_000]);
        frame.clear();

        assertThat(frame.isEmpty()).isTrue();
        assertThat(frame.toBytes()).containsExactly(BatchFrame.FORMAT);
    }

    @Test
    void anItemLongerThanTheRestOfTheFrameIsRefused() {
        BatchFrameReader reader = new BatchFrameReader(new byte[] {2, 'E', 5, '{', '}'});

        assertThatThrownBy(reader::next).isInstanceOf(WireFormatException.class).hasMessageContaining("overruns");
    }

    @Test
    void aLengthOfMoreThanFourVarintBytesIsRefused() {
        BatchFrameReader reader = new BatchFrameReader(new byte[] {2, 'E', (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, 0x01});

        assertThatThrownBy(reader::next).isInstanceOf(WireFormatException.class).hasMessageContaining("longer than 4");
    }

    @Test
    void aFrameEndingInsideALengthIsRefused() {
        BatchFrameReader reader = new BatchFrameReader(new byte[] {2, 'A', (byte) 0x80});

        assertThatThrownBy(reader::next).isInstanceOf(WireFormatException.class).hasMessageContaining("ends inside");
    }

    @Test
    void aNackWhoseIdDoesNotFitIsRefused() {
        BatchFrameReader reader = new BatchFrameReader(new byte[] {2, 'N', 2, 9, 'x'});
        reader.next();

        assertThatThrownBy(reader::nack).isInstanceOf(WireFormatException.class).hasMessageContaining("does not fit");
    }

    @Test
    void routingIdsCarryTheHighestFormatTheDealerReads() {
        assertThat(ZmqFrames.formatOf(ZmqFrames.routingId(2))).isEqualTo(2);
        assertThat(new String(ZmqFrames.routingId(2), 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("mr/2");
        assertThat(ZmqFrames.routingId(2)).hasSize(16);
        // The routing ids JeroMQ and libzmq make up start with a zero byte: format 1.
        assertThat(ZmqFrames.formatOf(new byte[] {0, 1, 2, 3, 4})).isEqualTo(1);
        assertThat(ZmqFrames.formatOf(utf8("mr/"))).isEqualTo(1);
        assertThat(ZmqFrames.formatOf(utf8("mr/x-peer"))).isEqualTo(1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
