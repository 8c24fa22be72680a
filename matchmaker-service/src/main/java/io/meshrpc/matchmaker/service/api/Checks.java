package io.meshrpc.matchmaker.service.api;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;

/** The naming rules of the API, each adding a {@link Violation} when broken. */
final class Checks {

    static final Pattern TOPIC = Pattern.compile(MatchmakerProtocol.TOPIC_PATTERN);
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern ENDPOINT = Pattern.compile(
            "tcp://(\\[[0-9A-Fa-f:.]{2,45}]|" + LABEL + "(?:\\." + LABEL + ")*):([0-9]{1,5})");
    /** CURVE keys in Z85: 40 characters of the Z85 alphabet. */
    private static final Pattern Z85_KEY = Pattern.compile("[0-9a-zA-Z.\\-:+=^!/*?&<>()\\[\\]{}@%$#]{40}");

    private Checks() {
    }

    static void topic(String field, String topic, List<Violation> out) {
        if (topic == null) {
            out.add(new Violation(field, "a topic is required"));
        } else if (!TOPIC.matcher(topic).matches()) {
            out.add(new Violation(field, "topic '" + abbreviate(topic) + "' must match [a-z0-9_.-]{1,64}"));
        }
    }

    static void nodeId(String field, String nodeId, List<Violation> out) {
        if (nodeId == null) {
            out.add(new Violation(field, "a node id is required"));
        } else if (!NODE_ID.matcher(nodeId).matches()) {
            out.add(new Violation(field, "node id '" + abbreviate(nodeId) + "' must match [A-Za-z0-9_.@-]{1,128}"));
        } else if (isDotSegment(nodeId)) {
            // a URL cannot carry them: clients and servers resolve /nodes/.. to /, so the node could not be named
            out.add(new Violation(field, "node id '" + nodeId + "' is a dot segment; '.' and '..' are not ids"));
        }
    }

    /** Whether {@code id} is {@code .} or {@code ..}, which matches the characters of a node id but no URL keeps. */
    static boolean isDotSegment(String id) {
        return id.equals(".") || id.equals("..");
    }

    /** A connectable ZeroMQ endpoint: {@code tcp://host:port}, host a DNS name, IPv4 or [IPv6], port 1..65535. */
    static void endpoint(String field, String endpoint, List<Violation> out) {
        String problem = endpointProblem(endpoint);
        if (problem != null) {
            out.add(new Violation(field, problem));
        }
    }

    static String endpointProblem(String endpoint) {
        Matcher m = endpoint == null || endpoint.length() > 300 ? null : ENDPOINT.matcher(endpoint);
        if (m == null || !m.matches()) {
            return "endpoint '" + abbreviate(String.valueOf(endpoint)) + "' must be tcp://host:port";
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            return "endpoint '" + endpoint + "': port must be 1..65535";
        }
        String host = m.group(1);
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            return "endpoint '" + endpoint + "': a wildcard address is not connectable, advertise the node's address";
        }
        return null;
    }

    static void publicKey(String field, String key, List<Violation> out) {
        if (key != null && !Z85_KEY.matcher(key).matches()) {
            out.add(new Violation(field, "a CURVE public key is 40 characters of Z85"));
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
