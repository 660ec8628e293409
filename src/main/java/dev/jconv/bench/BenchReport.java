package dev.jconv.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints benchmark rows as an aligned table, CSV (header {@code name,op,device,ms,gflops,...}) or JSON. */
public final class BenchReport {

    private BenchReport() {
    }

    public static void print(List<BenchRow> rows, String format, String machine, PrintStream out) {
        switch (format) {
            case "csv" -> csv(rows, out);
            case "json" -> json(rows, machine, out);
            default -> table(rows, machine, out);
        }
    }

    /** The geometric mean of the speedups per device, over the rows that were compared with PyTorch. */
    public static Map<String, Double> geometricMeanSpeedups(List<BenchRow> rows) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (BenchRow row : rows) {
            if (!Double.isNaN(row.torchMillis())) {
                double[] sum = sums.computeIfAbsent(row.device(), device -> new double[2]);
                sum[0] += Math.log(row.speedup());
                sum[1]++;
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((device, sum) -> means.put(device, Math.exp(sum[0] / sum[1])));
        return means;
    }

    private static void csv(List<BenchRow> rows, PrintStream out) {
        out.println("name,op,device,ms,gflops,kernel_ms,torch_ms,speedup,samples");
        for (BenchRow row : rows) {
            out.println(String.join(",", row.shape().name(), row.shape().op(), row.device(), number(row.millis()),
                    number(row.gflops()), number(row.kernelMillis()), number(row.torchMillis()),
                    number(row.speedup()), "" + row.samples()));
        }
    }

    private static void table(List<BenchRow> rows, String machine, PrintStream out) {
        out.println("machine: " + machine);
        out.printf(Locale.ROOT, "%-18s %-17s %-10s %10s %10s %10s %10s %8s%n", "name", "op", "device", "ms",
                "kernel_ms", "GFLOP/s", "torch_ms", "speedup");
        for (BenchRow row : rows) {
            out.printf(Locale.ROOT, "%-18s %-17s %-10s %10s %10s %10s %10s %8s%n", row.shape().name(),
                    row.shape().op(), row.device(), fixed(row.millis(), 3), fixed(row.kernelMillis(), 3),
                    fixed(row.gflops(), 1), fixed(row.torchMillis(), 3), fixed(row.speedup(), 2));
        }
        geometricMeanSpeedups(rows).forEach((device, mean) -> out.printf(Locale.ROOT,
                "geometric-mean speedup vs PyTorch on %s: %.2f%n", device, mean));
    }

    private static void json(List<BenchRow> rows, String machine, PrintStream out) {
        StringBuilder text = new StringBuilder("{\n  \"machine\": \"" + escape(machine) + "\",\n  \"rows\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            BenchRow row = rows.get(i);
            text.append("    {\"name\": \"").append(escape(row.shape().name())).append("\", \"op\": \"")
                    .append(row.shape().op()).append("\", \"device\": \"").append(escape(row.device()))
                    .append("\", \"ms\": ").append(jsonNumber(row.millis())).append(", \"gflops\": ")
                    .append(jsonNumber(row.gflops())).append(", \"kernel_ms\": ")
                    .append(jsonNumber(row.kernelMillis())).append(", \"torch_ms\": ")
                    .append(jsonNumber(row.torchMillis())).append(", \"speedup\": ")
                    .append(jsonNumber(row.speedup())).append(", \"samples\": ").append(row.samples()).append('}')
                    .append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        text.append("  ],\n  \"geomean_speedup\": {");
        StringBuilder means = new StringBuilder();
        geometricMeanSpeedups(rows).forEach((device, mean) -> means.append(means.length() > 0 ? ", " : "")
                .append('"').append(escape(device)).append("\": ").append(jsonNumber(mean)));
        text.append(means).append("}\n}");
        out.println(text);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String jsonNumber(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
