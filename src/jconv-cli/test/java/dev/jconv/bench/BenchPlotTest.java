package dev.jconv.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPlotTest {

    private static final WorkloadShape CONV =
            new WorkloadShape("resnet3x3", "conv2d", 8, 64, 56, 56, 64, 3, 1, 1, 1, 1, 0);
    private static final WorkloadShape DEPTHWISE =
            new WorkloadShape("dilated_depthwise", "conv2d", 1, 32, 112, 112, 32, 3, 1, 1, 2, 32, 0);
    private static final WorkloadShape TRANSPOSED =
            new WorkloadShape("upsample4x4", "conv_transpose2d", 1, 128, 16, 16, 64, 4, 2, 1, 1, 1, 0);

    @Test
    void shapeLabelsCarryTheSizes() {
        assertEquals("resnet3x3 8x64x56x56 -> 64 k3 s1", CONV.label());
        assertEquals("dilated_depthwise 1x32x112x112 -> 32 k3 s1 d2 g32", DEPTHWISE.label());
        assertEquals("upsample4x4 T 1x128x16x16 -> 64 k4 s2", TRANSPOSED.label());
    }

    @Test
    void titleNamesTheDevicesTheMachineAndTheDate() {
        String title = BenchPlot.title(List.of(Device.java()), "2 cores, amd64, Java 17", LocalDate.of(2026, 11, 30));
        assertEquals(
                "jconv throughput per shape on java " + Device.java().info().name()
                        + " (2 cores, amd64, Java 17), 2026-11-30",
                title);
    }

    @Test
    void writesAPngWithOneLabelPerShape(@TempDir Path dir) throws Exception {
        Timing timing = new Timing(1.0, 1.2, 1.5, Double.NaN, 5);
        List<BenchRow> rows = List.of(
                new BenchRow(CONV, "java", timing, Double.NaN, Timing.NONE),
                new BenchRow(TRANSPOSED, "java", timing, Double.NaN, Timing.NONE));
        assertEquals(
                List.of(CONV.label(), TRANSPOSED.label()),
                BenchPlot.labels(rows, List.of(CONV.name(), TRANSPOSED.name())));
        Path file = dir.resolve("plot.png");
        BenchPlot.write(rows, List.of(Device.java()), "test machine", LocalDate.of(2026, 11, 30), file);
        byte[] header = Arrays.copyOf(Files.readAllBytes(file), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, header);
    }
}
