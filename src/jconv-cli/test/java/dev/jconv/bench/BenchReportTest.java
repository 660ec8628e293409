package dev.jconv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's CSV, table and JSON carry min/median/max and the ONNX Runtime columns. */
class BenchReportTest {

    /** 8,388,608 multiply-adds: 16.7772 GFLOP/s at 1 ms. */
    private static final WorkloadShape SEED_CONV =
            new WorkloadShape("seed_conv", "conv2d", 1, 128, 16, 16, 64, 4, 2, 1, 1, 1, 0);

    private static final List<BenchRow> ROWS = List.of(
            new BenchRow(
                    SEED_CONV,
                    "opencl:0",
                    new Timing(0.9, 1.0, 1.5, 0.8, 25),
                    2.0,
                    new Timing(0.4, 0.5, 0.7, Double.NaN, 30)),
            new BenchRow(SEED_CONV, "java", new Timing(2.0, 2.5, 3.0, Double.NaN, 10), Double.NaN, Timing.NONE));

    @Test
    void csvHasMinMedianMaxAndOrtColumns() {
        assertEquals(
                List.of(
                        "name,op,device,ms_min,ms,ms_max,gflops,kernel_ms,torch_ms,speedup,ort_ms_min,ort_ms,"
                                + "ort_ms_max,"
                                + "vs_ort,samples",
                        "seed_conv,conv2d,opencl:0,0.9000,1.0000,1.5000,16.7772,0.8000,2.0000,2.0000,0.4000,"
                                + "0.5000,0.7000,"
                                + "0.5000,25",
                        "seed_conv,conv2d,java,2.0000,2.5000,3.0000,6.7109,,,,,,,,10"),
                print("csv").lines().toList());
    }

    @Test
    void tableHasTheColumnsAndAGeometricMeanPerComparedDevice() {
        List<String> lines = print("table").lines().toList();
        assertEquals("machine: test machine", lines.get(0));
        assertEquals(
                List.of(
                        "name",
                        "op",
                        "device",
                        "ms_min",
                        "ms",
                        "ms_max",
                        "kernel_ms",
                        "GFLOP/s",
                        "torch_ms",
                        "speedup",
                        "ort_ms",
                        "vs_ort"),
                List.of(lines.get(1).trim().split(" +")));
        assertEquals(
                List.of(
                        "seed_conv",
                        "conv2d",
                        "opencl:0",
                        "0.900",
                        "1.000",
                        "1.500",
                        "0.800",
                        "16.8",
                        "2.000",
                        "2.00",
                        "0.500",
                        "0.50"),
                List.of(lines.get(2).trim().split(" +")));
        assertEquals(
                List.of("seed_conv", "conv2d", "java", "2.000", "2.500", "3.000", "-", "6.7", "-", "-", "-", "-"),
                List.of(lines.get(3).trim().split(" +")));
        assertEquals(
                List.of(
                        "geometric-mean speedup vs PyTorch on opencl:0: 2.00",
                        "geometric-mean speedup vs ONNX Runtime on opencl:0: 0.50"),
                lines.subList(4, lines.size()));
    }

    @Test
    void jsonHasTheSameFiguresByName() {
        String json = print("json");
        assertTrue(
                json.contains("\"device\": \"opencl:0\", \"ms_min\": 0.9000, \"ms\": 1.0000, \"ms_max\": 1.5000, "
                        + "\"gflops\": 16.7772, \"kernel_ms\": 0.8000, \"torch_ms\": 2.0000, \"speedup\": 2.0000, "
                        + "\"ort_ms_min\": 0.4000, \"ort_ms\": 0.5000, \"ort_ms_max\": 0.7000, \"vs_ort\": 0.5000, "
                        + "\"samples\": 25}"),
                json);
        assertTrue(json.contains("\"ort_ms\": null"), json);
        assertTrue(
                json.contains("\"geomean_speedup\": {\"opencl:0\": 2.0000},\n  \"geomean_vs_ort\": "
                        + "{\"opencl:0\": 0.5000}\n}"),
                json);
    }

    private static String print(String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BenchReport.print(ROWS, format, "test machine", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
