package dev.mu.xmpp.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The live objects of a JVM by class, from {@code jcmd <pid> GC.class_histogram}, which runs a full
 * collection first, so that only reachable objects count: unlike RSS, this does not depend on how
 * much heap the JVM has reserved or touched. Run against a JVM of the same user with the JDK's
 * {@code jcmd} (the generator's own {@code java.home}, else {@code jcmd} on the {@code PATH}).
 *
 * @param text  the histogram as {@code jcmd} printed it
 * @param bytes live bytes per class name
 * @param count live instances per class name
 * @see <a href="https://docs.oracle.com/en/java/javase/17/docs/specs/man/jcmd.html">jcmd</a>
 */
record HeapHistogram(String text, Map<String, Long> bytes, Map<String, Long> count) {

    private static final long TIMEOUT_SECONDS = 120;

    /**
     * Takes the histogram of process {@code pid}.
     *
     * @throws IOException if {@code jcmd} cannot be run, fails or prints no histogram
     */
    static HeapHistogram of(long pid) throws IOException, InterruptedException {
        Path jdkJcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String jcmd = Files.isExecutable(jdkJcmd) ? jdkJcmd.toString() : "jcmd";
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " GC.class_histogram failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return parse(new String(out, StandardCharsets.UTF_8));
    }

    /** Parses the lines {@code  num: instances bytes class-name}; the {@code Total} line is left out. */
    static HeapHistogram parse(String text) throws IOException {
        Map<String, Long> bytes = new HashMap<>();
        Map<String, Long> count = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                // Classes of different loaders may share a name; their figures add up.
                bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
                count.merge(f[3], Long.parseLong(f[1]), Long::sum);
            }
        }
        if (bytes.isEmpty()) {
            throw new IOException("no class histogram in: " + text);
        }
        return new HeapHistogram(text, bytes, count);
    }

    /** Live bytes in all classes. */
    long totalBytes() {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The {@code limit} classes that grew most from {@code before} to this, per unit of
     * {@code divisor} (sessions): one line each with bytes and instances per unit, largest first.
     */
    List<String> growth(HeapHistogram before, int divisor, int limit) {
        return bytes.keySet().stream()
                .map(c -> Map.entry(c, bytes.get(c) - before.bytes.getOrDefault(c, 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(limit)
                .map(e -> String.format(Locale.ROOT, "  %9.1f B %7.2f x  %s", e.getValue() / (double) divisor,
                        (count.get(e.getKey()) - before.count.getOrDefault(e.getKey(), 0L)) / (double) divisor,
                        e.getKey()))
                .collect(Collectors.toList());
    }
}
