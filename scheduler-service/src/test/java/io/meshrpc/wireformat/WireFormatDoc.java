package io.meshrpc.wireformat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
record WireFormatDoc(List<Example> examples) {

    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example: (\\S+) \\(to (\\S+)\\) -->\\s*\\n```json\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern ANSWER = Pattern.compile(
            "<!-- answer: (\\S+) -->\\s*\\n```text\\n(.*?)\\n```", Pattern.DOTALL);
    /** Any marker, well-formed or not: a typo must not make an example silently unchecked. */
    private static final Pattern MARKER = Pattern.compile("(?m)^<!-- (example|answer):");

    /** One example: what is sent, to which node, and the messages that come back. */
    record Example(String name, String to, String frame, List<List<String>> answer) {
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
        Matcher e = EXAMPLE.matcher(markdown);
        int markers = 0;
        while (e.find()) {
            markers++;
            if (frames.put(e.group(1), e.group(3)) != null) {
                throw new IllegalStateException("example '" + e.group(1) + "' appears twice");
            }
            to.put(e.group(1), e.group(2));
        }
        Map<String, List<List<String>>> answers = new LinkedHashMap<>();
        Matcher a = ANSWER.matcher(markdown);
        while (a.find()) {
            markers++;
            if (answers.put(a.group(1), messages(a.group(2))) != null) {
                throw new IllegalStateException("answer '" + a.group(1) + "' appears twice");
            }
        }
        long written = MARKER.matcher(markdown).results().count();
        if (written != markers) {
            throw new IllegalStateException(written + " example/answer markers in the page but only " + markers
                    + " are followed by a block the test can read (```json for an example, ```text for an answer)");
        }
        List<Example> examples = new ArrayList<>();
        for (Map.Entry<String, String> frame : frames.entrySet()) {
            List<List<String>> answer = answers.remove(frame.getKey());
            if (answer == null) {
                throw new IllegalStateException("example '" + frame.getKey() + "' has no <!-- answer: "
                        + frame.getKey() + " --> block");
            }
            examples.add(new Example(frame.getKey(), to.get(frame.getKey()), frame.getValue(), answer));
        }
        if (!answers.isEmpty()) {
            throw new IllegalStateException("answers without an example: " + answers.keySet());
        }
        return new WireFormatDoc(List.copyOf(examples));
    }

    private static List<List<String>> messages(String block) {
        List<List<String>> messages = new ArrayList<>();
        for (String message : block.strip().split("\\n\\s*\\n")) {
            messages.add(Arrays.stream(message.strip().split("\\n")).map(String::strip).toList());
        }
        return messages;
    }
}
