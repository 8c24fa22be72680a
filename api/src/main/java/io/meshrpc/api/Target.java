package io.meshrpc.api;

/**
 * Where a message goes: a topic (a service, like {@code scheduler}), optionally narrowed to one
 * server of that topic, or widened to every server of it.
 *
 * <p>Targets are validated when built, not when sent, so a typo in a topic or server name fails at
 * the line that wrote it rather than as a routing error later. Topics and server names are the
 * routing keys of both transports (ZeroMQ through the matchmaker, AMQP as queue names), so they
 * are restricted to characters that are safe in both: lower-case letters, digits, {@code _ . -},
 * 1 to 64 characters (server names may also use upper case and {@code @}, as OpenStack host
 * names do).
 *
 * <pre>{@code
 * Target.topic("scheduler")                    // one live node of the topic, round robin
 * Target.topic("compute").server("compute-3")  // exactly that node
 * Target.fanout("compute")                    // every node of the topic
 * Target.topic("compute").version("2.1")      // an endpoint of compute that serves 2.1 (2.1 to 2.x)
 * Target.topic("compute").namespace("baseapi") // an endpoint of compute in namespace baseapi
 * }</pre>
 *
 * <p>As in oslo.messaging, a target may name the namespace of the endpoint it means (none: the
 * default namespace) and the interface version it needs (none: {@link Version#DEFAULT}). They choose
 * among the endpoints of the topic on the receiving node, not among nodes.
 *
 * @param topic     the service name, required
 * @param server    one node of the topic, or {@code null}
 * @param fanout    whether every node of the topic receives the message
 * @param namespace the endpoint namespace, or {@code null} for the default one
 * @param version   the interface version needed, or {@code null} for {@link Version#DEFAULT}
 */
public record Target(String topic, String server, boolean fanout, String namespace, Version version) {

    public Target {
        if (!isValidTopic(topic)) {
            throw new IllegalArgumentException("Invalid topic '" + topic
                    + "': expected 1-64 characters of [a-z0-9_.-]");
        }
        if (server != null && !isValidServer(server)) {
            throw new IllegalArgumentException("Invalid server '" + server + "' for topic '" + topic
                    + "': expected 1-128 characters of [A-Za-z0-9_.@-]");
        }
        if (server != null && fanout) {
            throw new IllegalArgumentException("Target " + topic + " cannot name a server ('" + server
                    + "') and be a fanout at the same time");
        }
        if (namespace != null && !isValidTopic(namespace)) {
            throw new IllegalArgumentException("Invalid namespace '" + namespace + "' for topic '" + topic
                    + "': expected 1-64 characters of [a-z0-9_.-]");
        }
    }

    /** A target of the default namespace and version. */
    public Target(String topic, String server, boolean fanout) {
        this(topic, server, fanout, null, null);
    }

    /** A target that reaches one live node of {@code topic}. */
    public static Target topic(String topic) {
        return new Target(topic, null, false);
    }

    /** The same topic, narrowed to the node named {@code server}. */
    public Target server(String server) {
        return new Target(topic, server, false, namespace, version);
    }

    /** The same target, meaning the endpoints of {@code namespace} ({@code null}: the default one). */
    public Target namespace(String namespace) {
        return new Target(topic, server, fanout, namespace, version);
    }

    /** The same target, needing interface version {@code version} ({@code major.minor}, such as {@code 2.1}). */
    public Target version(String version) {
        return version(version == null ? null : Version.parse(version));
    }

    /** The same target, needing interface version {@code version} ({@code null}: {@link Version#DEFAULT}). */
    public Target version(Version version) {
        return new Target(topic, server, fanout, namespace, version);
    }

    /** A target that reaches every node of {@code topic}. */
    public static Target fanout(String topic) {
        return new Target(topic, null, true);
    }

    /** Whether {@code topic} is a valid topic name: 1-64 characters of {@code [a-z0-9_.-]}. */
    public static boolean isValidTopic(String topic) {
        if (topic == null || topic.isEmpty() || topic.length() > 64) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code server} is a valid server (node) name: 1-128 characters of {@code [A-Za-z0-9_.@-]}. */
    public static boolean isValidServer(String server) {
        if (server == null || server.isEmpty() || server.length() > 128) {
            return false;
        }
        for (int i = 0; i < server.length(); i++) {
            char c = server.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-' || c == '@')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String where = fanout ? topic + "(fanout)" : server == null ? topic : topic + "." + server;
        if (namespace != null) {
            where += " namespace " + namespace;
        }
        return version == null ? where : where + " version " + version;
    }
}
