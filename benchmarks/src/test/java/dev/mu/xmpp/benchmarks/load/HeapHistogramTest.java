package dev.mu.xmpp.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing {@code jcmd GC.class_histogram} output and the growth between two of them. */
class HeapHistogramTest {

    private static final String BEFORE = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1000          64000  [B (java.base@17.0.15)
               2:            10            320  java.lang.String (java.base@17.0.15)
            Total          1010          64320
            """;

    private static final String AFTER = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          3000         264000  [B (java.base@17.0.15)
               2:           210           6720  java.lang.String (java.base@17.0.15)
               3:           100           6400  io.netty.channel.DefaultChannelHandlerContext
               4:             1             16  io.netty.channel.DefaultChannelHandlerContext
            Total          3311         277136
            """;

    @Test
    void totalLeavesOutTheTotalLine() throws IOException {
        HeapHistogram h = HeapHistogram.parse(AFTER);

        assertEquals(277136, h.totalBytes());
        assertEquals(6416, h.bytes().get("io.netty.channel.DefaultChannelHandlerContext"), "same name, two loaders");
    }

    @Test
    void growthIsPerUnitAndLargestFirst() throws IOException {
        List<String> growth = HeapHistogram.parse(AFTER).growth(HeapHistogram.parse(BEFORE), 100, 2);

        assertEquals(List.of(
                "     2000.0 B   20.00 x  [B",
                "       64.2 B    1.01 x  io.netty.channel.DefaultChannelHandlerContext"), growth);
    }

    @Test
    void outputWithoutHistogramIsAnError() {
        assertThrows(IOException.class, () -> HeapHistogram.parse("12345:\nCommand executed successfully\n"));
    }
}
