package io.meshrpc.wireformat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checked examples of {@code docs/wire-format.md}, read from the markdown itself so that the page
 * and the test cannot drift apart.
 *
 * <p>An example is a fenced {@code json} block right after {@code <!-- example: NAME (to NODE) -->}:
 * the frame a peer sends, and the node it sends it to. Its answer is a fenced {@code text} block
 * right after {@code <!-- answer: NAME -->}: the messages the peer's DEALER receives, separated by
 * blank lines, one frame per line.
 *
 * <p>The batch frames of section 4.7 (format 2) are examples marked {@code <!-- example: NAME (to NODE,
 * routing id mr/2) -->}: sent from a DEALER whose routing id announces format 2, as a fenced {@code json}
 * block (one JSON envelope, format 1) or a fenced {@code text} block in the page's batch notation
 * ({@link Batch}). Their answers are batch frames in that notation, separated by blank lines. A block
 * after {@code <!-- hex: NAME, sent -->} or {@code <!-- hex: NAME, answer N -->} is the hex of that
 * frame, and after {@code <!-- hex: NAME, sent, item K -->} (or {@code answer N, item K}) the hex of the
 * bytes of that frame's item K (from 1, without its type and length): bytes on each line before two
 * spaces (the rest is a comment), and a last line {@code …} when it shows only the first bytes.
 */
record WireFormatDoc(List<Example> examples, List<HexDump> dumps) {

    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example: (\\S+) \\(to ([^,\\s)]+)(, routing id mr/2)?\\) -->\\s*\\n```(json|text)\\n(.*?)\\n```",
            Pattern.DOTALL);
    private static final Pattern ANSWER = Pattern.compile(
            "<!-- answer: (\\S+) -->\\s*\\n```text\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern HEX = Pattern.compile(
            "<!-- hex: ([^,\\s]+), (sent|answer (\\d+))(?:, item (\\d+))? -->\\s*\\n```text\\n(.*?)\\n```",
            Pattern.DOTALL);
    private static final Pattern HEX_BYTES = Pattern.compile("[0-9a-f]{2}( [0-9a-f]{2})*");
    /** Any marker, well-formed or not: a typo must not make an example silently unchecked. */
    private static final Pattern MARKER = Pattern.compile("(?m)^<!-- (example|answer|hex):");

    /**
     * One example: what is sent, to which node, and the messages that come back.
     *
     * @param batchPeer    sent from a DEALER whose routing id announces format 2 ({@code mr/2}), which
     *                     is answered in batch frames
     * @param frameIsBatch {@code frame} is a batch frame in the page's notation, not a JSON envelope
     */
    record Example(String name, String to, boolean batchPeer, String frame, boolean frameIsBatch,
                   List<List<String>> answer) {

        /** The lines of a batch frame example, as {@link Batch#parse} takes them. */
        List<String> frameLines() {
            return lines(frame);
        }

        /** The JSON envelopes this example sends: the frame itself, or the {@code E} items of its batch frame. */
        List<String> envelopes() {
            if (!frameIsBatch) {
                return List.of(frame);
            }
            return Batch.parse(frameLines()).stream().filter(i -> i.type() == Batch.ENVELOPE).map(Batch.Item::text)
                    .toList();
        }

        /** The binary envelopes this example sends: the bytes of the {@code B} items of its batch frame. */
        List<byte[]> binaryEnvelopes() {
            if (!frameIsBatch) {
                return List.of();
            }
            return Batch.parse(frameLines()).stream().filter(i -> i.type() == Batch.BINARY).map(Batch.Item::bytes)
                    .toList();
        }
    }

    /**
     * The hex of one frame of an example, or of one item of it, as the page shows it.
     *
     * @param answer 0 for the frame the example sends, else the number of the answer's message (from 1)
     * @param item   0 for the whole frame, else the number of the item (from 1) whose bytes are shown
     * @param prefix whether the page shows only the first bytes
     */
    record HexDump(String name, int answer, int item, byte[] bytes, boolean prefix) {

        String describe() {
            return "hex dump of " + name + (answer == 0 ? ", sent" : ", answer " + answer)
                    + (item == 0 ? "" : ", item " + item);
        }
    }

    static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path doc = dir.resolve("docs/wire-format.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("docs/wire-format.md not found above " + Path.of("").toAbsolutePath());
    }

    static WireFormatDoc read() throws IOException {
        return parse(Files.readString(locate(), StandardCharsets.UTF_8));
    }

    static WireFormatDoc parse(String markdown) {
        Map<String, String> to = new LinkedHashMap<>();
        Map<String, String> frames = new LinkedHashMap<>();
        Map<String, Boolean> batchPeers = new LinkedHashMap<>();
        Map<String, Boolean> batchFrames = new LinkedHashMap<>();
        Matcher e = EXAMPLE.matcher(markdown);
        int markers = 0;
        while (e.find()) {
            markers++;
            if (frames.put(e.group(1), e.group(5)) != null) {
                throw new IllegalStateException("example '" + e.group(1) + "' appears twice");
            }
            to.put(e.group(1), e.group(2));
            boolean batchPeer = e.group(3) != null;
            boolean batchFrame = e.group(4).equals("text");
            if (batchFrame && !batchPeer) {
                throw new IllegalStateException("example '" + e.group(1) + "' is a batch frame (```text) sent from a "
                        + "DEALER that does not announce format 2: write (to " + e.group(2) + ", routing id mr/2)");
            }
            batchPeers.put(e.group(1), batchPeer);
            batchFrames.put(e.group(1), batchFrame);
        }
        Map<String, List<List<String>>> answers = new LinkedHashMap<>();
        Matcher a = ANSWER.matcher(markdown);
        while (a.find()) {
            markers++;
            if (answers.put(a.group(1), messages(a.group(2))) != null) {
                throw new IllegalStateException("answer '" + a.group(1) + "' appears twice");
            }
        }
        List<HexDump> dumps = new ArrayList<>();
        Matcher h = HEX.matcher(markdown);
        while (h.find()) {
            markers++;
            dumps.add(hexDump(h.group(1), h.group(3) == null ? 0 : Integer.parseInt(h.group(3)),
                    h.group(4) == null ? 0 : Integer.parseInt(h.group(4)), h.group(5)));
        }
        long written = MARKER.matcher(markdown).results().count();
        if (written != markers) {
            throw new IllegalStateException(written + " example/answer markers in the page but only " + markers
                    + " are followed by a block the test can read (```json or ```text for an example, ```text for "
                    + "an answer or a hex dump)");
        }
        List<Example> examples = new ArrayList<>();
        for (Map.Entry<String, String> frame : frames.entrySet()) {
            List<List<String>> answer = answers.remove(frame.getKey());
            if (answer == null) {
                throw new IllegalStateException("example '" + frame.getKey() + "' has no <!-- answer: "
                        + frame.getKey() + " --> block");
            }
            examples.add(new Example(frame.getKey(), to.get(frame.getKey()), batchPeers.get(frame.getKey()),
                    frame.getValue(), batchFrames.get(frame.getKey()), answer));
        }
        if (!answers.isEmpty()) {
            throw new IllegalStateException("answers without an example: " + answers.keySet());
        }
        for (HexDump dump : dumps) {
            Example example = examples.stream().filter(x -> x.name().equals(dump.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("hex dump of '" + dump.name() + "', which is no example"));
            if (dump.answer() > example.answer().size()) {
                throw new IllegalStateException("hex dump of answer " + dump.answer() + " of '" + dump.name()
                        + "', which has " + example.answer().size());
            }
            if (dump.answer() > 0 && !example.batchPeer()) {
                throw new IllegalStateException("hex dump of an answer of '" + dump.name() + "', which is not in batch frames");
            }
            if (dump.item() > 0) {
                if (dump.answer() == 0 && !example.frameIsBatch()) {
                    throw new IllegalStateException(dump.describe() + ": the example sends no batch frame");
                }
                int items = Batch.parse(dump.answer() == 0 ? example.frameLines()
                        : example.answer().get(dump.answer() - 1)).size();
                if (dump.item() > items) {
                    throw new IllegalStateException(dump.describe() + ": the frame has " + items + " item(s)");
                }
            }
        }
        return new WireFormatDoc(List.copyOf(examples), List.copyOf(dumps));
    }

    /** The frame of {@code example} a hex dump shows, built from the page's notation (not sent anywhere). */
    static byte[] frameOf(Example example, int answer) {
        if (answer == 0) {
            return example.frameIsBatch() ? Batch.encode(Batch.parse(example.frameLines()))
                    : example.frame().getBytes(StandardCharsets.UTF_8);
        }
        return Batch.encode(Batch.parse(example.answer().get(answer - 1)));
    }

    /** The bytes a hex dump shows: the whole frame, or one item's bytes, built from the page's notation. */
    static byte[] shownBy(Example example, HexDump dump) {
        if (dump.item() == 0) {
            return frameOf(example, dump.answer());
        }
        List<String> lines = dump.answer() == 0 ? example.frameLines() : example.answer().get(dump.answer() - 1);
        return Batch.parse(lines).get(dump.item() - 1).bytes();
    }

    private static HexDump hexDump(String name, int answer, int item, String block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> lines = lines(block);
        boolean prefix = lines.get(lines.size() - 1).equals("…");
        for (String line : prefix ? lines.subList(0, lines.size() - 1) : lines) {
            int comment = line.indexOf("  ");
            String hex = comment < 0 ? line : line.substring(0, comment);
            if (!HEX_BYTES.matcher(hex).matches()) {
                throw new IllegalStateException("hex dump of '" + name + "': not hex bytes: " + line);
            }
            bytes.writeBytes(HexFormat.ofDelimiter(" ").parseHex(hex));
        }
        return new HexDump(name, answer, item, bytes.toByteArray(), prefix);
    }

    private static List<String> lines(String block) {
        return Arrays.stream(block.strip().split("\\n")).map(String::strip).toList();
    }

    private static List<List<String>> messages(String block) {
        List<List<String>> messages = new ArrayList<>();
        for (String message : block.strip().split("\\n\\s*\\n")) {
            messages.add(lines(message));
        }
        return messages;
    }

    /**
     * The page's notation for a batch frame (section 4.7): a line {@code 02}, then one line per item: its
     * type letter, its length in decimal, that length's varint in hex in parentheses, and its bytes as
     * UTF-8 text. An {@code N} item's bytes are written as the id's length in decimal, its varint in hex
     * in parentheses, the id, and the reason. A {@code B} item's bytes (a binary envelope) are written in
     * hex, two lowercase digits per byte separated by single spaces. Every written length and varint is
     * checked against the item's bytes, so the page cannot show a frame that is not the one it describes.
     */
    static final class Batch {

        static final char ENVELOPE = 'E';
        static final char ACK = 'A';
        static final char NACK = 'N';
        static final char BINARY = 'B';
        private static final Set<Character> TYPES = Set.of(ENVELOPE, BINARY, ACK, NACK);
        private static final HexFormat HEX_FORMAT = HexFormat.ofDelimiter(" ");
        private static final String VARINT = "\\(([0-9a-f]{2}(?: [0-9a-f]{2}){0,3})\\)";
        private static final Pattern ITEM = Pattern.compile("(\\S) (\\d+) " + VARINT + " (.*)");
        private static final Pattern NACK_BODY = Pattern.compile("(\\d+) " + VARINT + " (\\S+) (.*)");

        private Batch() {
        }

        /**
         * One item. {@code id} is an {@code N} item's id (null otherwise), and {@code text} the rest of
         * its bytes: the envelope, the ACKed id, or the NACK's reason; for a {@code B} item, its bytes in
         * the page's hex.
         */
        record Item(char type, String id, String text) {

            /** A {@code B} item holding {@code bytes}. */
            static Item binary(byte[] bytes) {
                return new Item(BINARY, null, HEX_FORMAT.formatHex(bytes));
            }

            Item withText(String newText) {
                return new Item(type, id, newText);
            }

            byte[] bytes() {
                if (type == BINARY) {
                    return HEX_FORMAT.parseHex(text);
                }
                byte[] rest = text.getBytes(StandardCharsets.UTF_8);
                if (type != NACK) {
                    return rest;
                }
                byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(varint(idBytes.length));
                out.writeBytes(idBytes);
                out.writeBytes(rest);
                return out.toByteArray();
            }

            /** The item in the page's notation. */
            String line() {
                int length = bytes().length;
                String body = type != NACK ? text
                        : written(id.getBytes(StandardCharsets.UTF_8).length) + " " + id + " " + text;
                return type + " " + written(length) + " " + body;
            }
        }

        /** Reads the page's notation, checking every length and varint it writes. */
        static List<Item> parse(List<String> lines) {
            if (lines.isEmpty() || !lines.get(0).equals("02")) {
                throw new IllegalStateException("a batch frame is written from a line 02 (the format byte), not " + lines);
            }
            List<Item> items = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                Matcher m = ITEM.matcher(line);
                if (!m.matches() || !TYPES.contains(m.group(1).charAt(0))) {
                    throw new IllegalStateException("not an item (B, E, A or N, length, (varint), bytes): " + line);
                }
                char type = m.group(1).charAt(0);
                int length = Integer.parseInt(m.group(2));
                checkVarint(line, length, m.group(3));
                Item item;
                if (type == NACK) {
                    Matcher n = NACK_BODY.matcher(m.group(4));
                    if (!n.matches()) {
                        throw new IllegalStateException("an N item's bytes are written as id length, (varint), id, "
                                + "reason: " + line);
                    }
                    int idLength = Integer.parseInt(n.group(1));
                    checkVarint(line, idLength, n.group(2));
                    if (n.group(3).getBytes(StandardCharsets.UTF_8).length != idLength) {
                        throw new IllegalStateException("the id is " + n.group(3).getBytes(StandardCharsets.UTF_8).length
                                + " bytes, the page writes " + idLength + ": " + line);
                    }
                    item = new Item(type, n.group(3), n.group(4));
                } else if (type == BINARY) {
                    if (!HEX_BYTES.matcher(m.group(4)).matches()) {
                        throw new IllegalStateException("a B item's bytes are written in hex, two lowercase digits "
                                + "per byte separated by single spaces: " + line);
                    }
                    item = new Item(type, null, m.group(4));
                } else {
                    item = new Item(type, null, m.group(4));
                }
                if (item.bytes().length != length) {
                    throw new IllegalStateException("the item is " + item.bytes().length + " bytes, the page writes "
                            + length + ": " + line);
                }
                items.add(item);
            }
            return items;
        }

        /** The frame on the wire. */
        static byte[] encode(List<Item> items) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x02);
            for (Item item : items) {
                byte[] bytes = item.bytes();
                out.write(item.type());
                out.writeBytes(varint(bytes.length));
                out.writeBytes(bytes);
            }
            return out.toByteArray();
        }

        /**
         * A frame as it came off the wire, item by item.
         *
         * @throws IllegalArgumentException if it is not a well-formed batch frame
         */
        static List<Item> decode(byte[] frame) {
            if (frame.length == 0 || frame[0] != 0x02) {
                throw new IllegalArgumentException("not a batch frame: " + new String(frame, StandardCharsets.UTF_8));
            }
            List<Item> items = new ArrayList<>();
            int[] position = {1};
            while (position[0] < frame.length) {
                char type = (char) (frame[position[0]++] & 0xFF);
                int length = readVarint(frame, position, frame.length);
                int end = position[0] + length;
                if (end > frame.length) {
                    throw new IllegalArgumentException("item of " + length + " bytes overruns the frame");
                }
                if (type == NACK) {
                    int idLength = readVarint(frame, position, end);
                    if (position[0] + idLength > end) {
                        throw new IllegalArgumentException("N item whose id overruns it");
                    }
                    String id = new String(frame, position[0], idLength, StandardCharsets.UTF_8);
                    String reason = new String(frame, position[0] + idLength, end - position[0] - idLength,
                            StandardCharsets.UTF_8);
                    items.add(new Item(type, id, reason));
                } else if (type == BINARY) {
                    items.add(Item.binary(Arrays.copyOfRange(frame, position[0], end)));
                } else {
                    items.add(new Item(type, null, new String(frame, position[0], length, StandardCharsets.UTF_8)));
                }
                position[0] = end;
            }
            return items;
        }

        /** The frame in the page's notation, one line per item after {@code 02}. */
        static List<String> lines(List<Item> items) {
            List<String> lines = new ArrayList<>(List.of("02"));
            items.forEach(item -> lines.add(item.line()));
            return lines;
        }

        /** Unsigned LEB128, shortest form. */
        static byte[] varint(int value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int v = value;
            while ((v & ~0x7F) != 0) {
                out.write((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write(v);
            return out.toByteArray();
        }

        private static String written(int length) {
            return length + " (" + HEX_FORMAT.formatHex(varint(length)) + ")";
        }

        private static void checkVarint(String line, int length, String hex) {
            String expected = HEX_FORMAT.formatHex(varint(length));
            if (!expected.equals(hex)) {
                throw new IllegalStateException("the varint of " + length + " is (" + expected + "), the page writes ("
                        + hex + "): " + line);
            }
        }

        private static int readVarint(byte[] frame, int[] position, int end) {
            int value = 0;
            for (int shift = 0; shift < 28; shift += 7) {
                if (position[0] >= end) {
                    throw new IllegalArgumentException("frame ends inside a length");
                }
                byte b = frame[position[0]++];
                value |= (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a length longer than 4 bytes");
        }
    }
}
