package io.meshrpc.deploycheck;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL to find what a Grafana query refers to: the metric names (series selectors) of an
 * expression and the label names each of them is filtered by, plus the labels of {@code by}/{@code without}
 * clauses. Not a parser: it removes strings, label matchers and range selectors, then takes the identifiers
 * that are neither functions, aggregations, keywords nor grouping labels.
 */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern SELECTOR = Pattern.compile(
            "(?<![A-Za-z0-9_:.$])([A-Za-z_:][A-Za-z0-9_:]*)?\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.$])[A-Za-z_:][A-Za-z0-9_:]*");
    /** Grafana's {@code label_values(selector, label)}: its last argument is a label, not a series. */
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "^\\s*label_values\\s*\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    /** What one expression refers to. */
    record Refs(Map<String, Set<String>> series, Set<String> groupingLabels) {
    }

    static Refs refs(String expr) {
        Set<String> grouping = new LinkedHashSet<>();
        Matcher lv = LABEL_VALUES.matcher(expr);
        if (lv.matches()) {
            expr = lv.group(1);
            grouping.add(lv.group(2));
        }
        // strings first (a value may contain braces or brackets), as empty strings
        String e = STRING.matcher(expr).replaceAll("\"\"");
        Map<String, Set<String>> series = new LinkedHashMap<>();
        Matcher s = SELECTOR.matcher(e);
        StringBuilder rest = new StringBuilder();
        while (s.find()) {
            String name = s.group(1);
            Set<String> labels = new LinkedHashSet<>();
            Matcher m = MATCHER.matcher(s.group(2));
            while (m.find()) {
                labels.add(m.group(1));
            }
            if (labels.remove("__name__")) {
                throw new IllegalArgumentException("selector by __name__ is not checked: " + expr);
            }
            if (name == null) {
                throw new IllegalArgumentException("selector without metric name: " + expr);
            }
            series.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(labels);
            s.appendReplacement(rest, " ");
        }
        s.appendTail(rest);
        e = RANGE.matcher(rest).replaceAll(" ");
        Matcher g = GROUPING.matcher(e);
        while (g.find()) {
            for (String label : g.group(2).split(",")) {
                if (!label.isBlank()) {
                    grouping.add(label.trim());
                }
            }
        }
        e = GROUPING.matcher(e).replaceAll(" ");
        Matcher id = IDENTIFIER.matcher(e);
        while (id.find()) {
            String name = id.group();
            String after = e.substring(id.end()).stripLeading();
            if (KEYWORDS.contains(name) || after.startsWith("(")) {
                continue; // a keyword, or a function / aggregation call
            }
            series.computeIfAbsent(name, n -> new LinkedHashSet<>());
        }
        return new Refs(series, grouping);
    }
}
