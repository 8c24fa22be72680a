package io.meshrpc.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which scenarios are measured together, in interleaved rounds: each meshrpc scenario with the
 * baseline its ratio is taken over ({@link Comparison#BASELINES}, {@link Comparison#CURVE_BASELINES}),
 * and the peers with the call they are set against, transitively (so {@code curve-zmq-cast} joins
 * {@code zmq-cast}, which joins {@code raw-zmq-cast}). Every other scenario is a group of its own.
 */
final class ScenarioGroups {

    private ScenarioGroups() {
    }

    /**
     * {@code names} (in run order) cut into groups: a group is in the order of its members, the
     * groups in the order of their first member.
     */
    static List<List<String>> of(List<String> names) {
        Map<String, String> parent = new LinkedHashMap<>();
        names.forEach(name -> parent.put(name, name));
        Comparison.BASELINES.forEach((scenario, baseline) -> join(parent, scenario, baseline));
        Comparison.CURVE_BASELINES.forEach((scenario, baseline) -> join(parent, scenario, baseline));
        Comparison.PEERS.forEach(peer -> Comparison.PEER_CALLS.forEach(call -> join(parent, peer, call)));
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String name : names) {
            groups.computeIfAbsent(root(parent, name), r -> new ArrayList<>()).add(name);
        }
        return List.copyOf(groups.values());
    }

    private static void join(Map<String, String> parent, String a, String b) {
        if (parent.containsKey(a) && parent.containsKey(b)) {
            String ra = root(parent, a);
            String rb = root(parent, b);
            if (!ra.equals(rb)) {
                parent.put(ra, rb);
            }
        }
    }

    private static String root(Map<String, String> parent, String name) {
        String r = name;
        while (!parent.get(r).equals(r)) {
            r = parent.get(r);
        }
        return r;
    }
}
