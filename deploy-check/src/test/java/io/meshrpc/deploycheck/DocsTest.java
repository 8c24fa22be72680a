package io.meshrpc.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The documentation stands on its own: every relative link leads to a file of the repository (and to
 * a heading of it, when it names one), no file points at a document the repository does not hold, and
 * the port plan in docs/architecture.md is the one the deployment files are checked against.
 */
class DocsTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*$", Pattern.MULTILINE);
    /**
     * Pointers at a design page and notes that lived beside the repository while it was written, which a clone
     * does not have. Spelt in pieces so that this list is not itself such a pointer.
     */
    private static final List<String> OUTSIDE_REFERENCES = List.of(String.join(" ", "DESIGN", "§"),
            String.join(".", "DESIGN", "md"), String.join("/", "..", "shared"), String.join("/", "notes", "prior-art"),
            String.join("/", "notes", "java-stack"));
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", ".demo", "node_modules", ".ci",
            ".mvn");

    @Test
    void everyRelativeLinkInTheDocsLeadsToAFileAndHeadingOfTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : markdownFiles()) {
            Matcher link = LINK.matcher(Files.readString(doc));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(Repo.ROOT.relativize(doc) + ": " + target + " (no such file)");
                } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
                    broken.add(Repo.ROOT.relativize(doc) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void noFilePointsAtADocumentOutsideTheRepository() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repo.ROOT)) {
            for (Path file : files.filter(DocsTest::kept).filter(Files::isRegularFile).toList()) {
                String text = text(file);
                for (String reference : OUTSIDE_REFERENCES) {
                    if (text.contains(reference)) {
                        found.add(Repo.ROOT.relativize(file) + " mentions " + reference);
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void theArchitecturePortPlanIsTheOneTheDeploymentFilesAreCheckedAgainst() throws IOException {
        String architecture = Files.readString(Repo.ROOT.resolve("docs/architecture.md"));
        Map<String, String> rows = Map.of("gateway-service", "| gateway |", "matchmaker-service", "| matchmaker |",
                "scheduler-service", "| scheduler |", "consoleauth-service", "| consoleauth |",
                "compute-agent", "| compute agents |");
        Repo.PLANNED_HTTP_PORTS.forEach((module, port) -> assertThat(architecture)
                .as(module).containsPattern(Pattern.quote(rows.get(module)) + "\\s*" + port + "\\b"));
        assertThat(architecture).contains("listens on " + Repo.PLANNED_ZMQ_PORT);
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.ROOT)) {
            return files.filter(DocsTest::kept).filter(p -> p.toString().endsWith(".md")).toList();
        }
    }

    private static boolean kept(Path path) {
        for (Path part : Repo.ROOT.relativize(path)) {
            if (SKIPPED_DIRS.contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /** The anchors GitHub makes of a file's headings: lower case, punctuation dropped, spaces to hyphens. */
    private static Set<String> anchors(Path markdown) {
        Set<String> anchors = new HashSet<>();
        try {
            Matcher heading = HEADING.matcher(Files.readString(markdown));
            while (heading.find()) {
                anchors.add(heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                        .replace(' ', '-'));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return anchors;
    }

    private static String text(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (MalformedInputException binary) {
            return ""; // images, jars
        }
    }
}
