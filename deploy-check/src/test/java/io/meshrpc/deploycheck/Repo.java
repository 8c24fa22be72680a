package io.meshrpc.deploycheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The repository as the deployment files see it: the root pom's modules, each module's pom (artifact id,
 * whether it builds an {@code exec} jar) and its {@code application.properties}.
 */
final class Repo {

    /** The port plan (docs/architecture.md#ports): the HTTP port of each service (compute agents: the first, "from 8090 up"). */
    static final Map<String, Integer> PLANNED_HTTP_PORTS = Map.of(
            "gateway-service", 8080,
            "matchmaker-service", 8500,
            "scheduler-service", 8081,
            "consoleauth-service", 8082,
            "compute-agent", 8090);

    /** The port plan: the ZeroMQ receiver port (the talk's rpc_zmq_port). */
    static final int PLANNED_ZMQ_PORT = 9501;

    static final Path ROOT = findRoot();

    private static Map<String, Module> modules;

    private Repo() {
    }

    /** A Maven module of the root pom. */
    record Module(String name, Path dir, String artifactId, boolean buildsExecJar) {

        /** The module's {@code src/main/resources/application.properties} (empty when it has none). */
        Properties applicationProperties() {
            Properties p = new Properties();
            Path file = dir.resolve("src/main/resources/application.properties");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
            return p;
        }
    }

    static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The modules listed in the root pom, in order, by directory name. */
    static synchronized Map<String, Module> modules() {
        if (modules == null) {
            Map<String, Module> found = new LinkedHashMap<>();
            Element root = parse(ROOT.resolve("pom.xml"));
            for (Element m : children(child(root, "modules"), "module")) {
                String name = m.getTextContent().trim();
                Path dir = ROOT.resolve(name);
                Element pom = parse(dir.resolve("pom.xml"));
                found.put(name, new Module(name, dir, text(pom, "artifactId"), buildsExecJar(pom)));
            }
            modules = found;
        }
        return modules;
    }

    /** Whether the pom repackages with spring-boot-maven-plugin under the classifier {@code exec}. */
    private static boolean buildsExecJar(Element pom) {
        Element build = child(pom, "build");
        Element plugins = build == null ? null : child(build, "plugins");
        if (plugins == null) {
            return false;
        }
        for (Element plugin : children(plugins, "plugin")) {
            if ("spring-boot-maven-plugin".equals(text(plugin, "artifactId"))) {
                NodeList classifiers = plugin.getElementsByTagName("classifier");
                for (int i = 0; i < classifiers.getLength(); i++) {
                    if ("exec".equals(classifiers.item(i).getTextContent().trim())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("deploy-check"))
                    && Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("no meshrpc repository above " + dir);
    }

    private static Element parse(Path pom) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            Document doc = f.newDocumentBuilder().parse(pom.toFile());
            return doc.getDocumentElement();
        } catch (Exception ex) {
            throw new IllegalStateException("cannot read " + pom + ": " + ex, ex);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
