package io.meshrpc.transport.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ZmqFramesTest {

    private static final byte[] FRAME = "..3f2a-1c..é..".getBytes(StandardCharsets.UTF_8);

    @Test
    void anAsciiIdIsToldEqualToItsBytesInAFrame() {
        assertThat(ZmqFrames.asciiEquals("3f2a-1c", FRAME, 2, 7)).isTrue();
    }

    @Test
    void anotherIdOrAnotherLengthIsNotEqual() {
        assertThat(ZmqFrames.asciiEquals("3f2a-1d", FRAME, 2, 7)).isFalse();
        assertThat(ZmqFrames.asciiEquals("3f2a-1", FRAME, 2, 7)).isFalse();
        assertThat(ZmqFrames.asciiEquals("3f2a-1c.", FRAME, 2, 7)).isFalse();
    }

    @Test
    void bytesOutsideAsciiAreNeverEqualToACharacterOfTheSameValue() {
        // 'é' is 0xC3 0xA9 in UTF-8; a string of the characters U+00C3 U+00A9 must not match it
        int at = 11;
        assertThat(ZmqFrames.asciiEquals("\u00c3\u00a9", FRAME, at, 2)).isFalse();
        assertThat(ZmqFrames.asciiEquals("é", FRAME, at, 2)).as("not ASCII: left to the caller").isFalse();
    }
}
