package dev.mu.xmpp.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of one run, in order of appearance; {@link #line()} prints them as one
 * {@code RESULT key=value ...} line for scripts. A value the run could not measure is -1.
 */
final class LoadReport {

    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Adds or replaces a figure. */
    LoadReport put(String key, Object value) {
        values.put(key, value instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : value);
        return this;
    }

    /** A figure as a number, or -1 when absent. */
    double number(String key) {
        Object v = values.get(key);
        return v == null ? -1 : Double.parseDouble(v.toString());
    }

    /** {@code RESULT key=value ...}, one line. */
    String line() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ", "RESULT ", ""));
    }

    /** One figure per line, aligned. */
    String table() {
        return values.entrySet().stream().map(e -> String.format(Locale.ROOT, "  %-28s %s", e.getKey(), e.getValue()))
                .collect(Collectors.joining("\n"));
    }
}
