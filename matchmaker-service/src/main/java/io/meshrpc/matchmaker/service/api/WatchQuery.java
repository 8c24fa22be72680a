package io.meshrpc.matchmaker.service.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.service.watch.WatchRequest;

/** Reads and checks the query of {@code GET /api/v1/watch}: {@code topics}, {@code since}, {@code wait}. */
final class WatchQuery {

    private static final Pattern WAIT = Pattern.compile("([0-9]{1,9})(ms|s|m)");
    private static final Pattern REVISION = Pattern.compile("[0-9]{1,16}");

    private WatchQuery() {
    }

    /** The watch, or {@link InvalidInputException} naming every bad parameter. */
    static WatchRequest parse(String topics, String since, String wait) {
        List<Violation> violations = new ArrayList<>();
        Set<String> names = topics(topics, violations);
        OptionalLong revision = OptionalLong.empty();
        if (since != null) {
            if (REVISION.matcher(since).matches()) {
                revision = OptionalLong.of(Long.parseLong(since));
            } else {
                violations.add(new Violation("since", "since must be a revision (a number the matchmaker answered), was '"
                        + Checks.abbreviate(since) + "'"));
            }
        }
        Duration waitFor = wait(wait, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new WatchRequest(names, revision, waitFor);
    }

    private static Set<String> topics(String topics, List<Violation> violations) {
        Set<String> names = new LinkedHashSet<>();
        if (topics == null || topics.isEmpty()) {
            violations.add(new Violation("topics", "name the topics to watch: topics=a,b,c"));
            return names;
        }
        String[] parts = topics.split(",", MatchmakerProtocol.MAX_WATCH_TOPICS + 1);
        if (parts.length > MatchmakerProtocol.MAX_WATCH_TOPICS) {
            violations.add(new Violation("topics", "at most " + MatchmakerProtocol.MAX_WATCH_TOPICS
                    + " topics per watch"));
            return names;
        }
        for (String part : parts) {
            Checks.topic("topics", part, violations);
            names.add(part);
        }
        return names;
    }

    private static Duration wait(String wait, List<Violation> violations) {
        if (wait == null) {
            return MatchmakerProtocol.DEFAULT_WATCH_WAIT;
        }
        Matcher m = WAIT.matcher(wait);
        if (!m.matches()) {
            violations.add(new Violation("wait", "wait must be a duration like 500ms, 30s or 5m, was '"
                    + Checks.abbreviate(wait) + "'"));
            return MatchmakerProtocol.DEFAULT_WATCH_WAIT;
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.isZero() || d.compareTo(MatchmakerProtocol.MAX_WATCH_WAIT) > 0) {
            violations.add(new Violation("wait", "wait must be more than 0 and at most "
                    + MatchmakerProtocol.MAX_WATCH_WAIT.toMinutes() + "m, was " + wait));
        }
        return d;
    }
}
