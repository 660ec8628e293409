package dev.jconv.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Prints benchmark rows as an aligned table, CSV (header {@code name,op,device,ms_min,ms,ms_max,...}) or JSON; CSV
 * and JSON carry the same figures under the same names.
 */
public final class BenchReport {

    /** A figure of a row, named as CSV's header and JSON's keys name it; NaN when it was not measured. */
    private record Figure(String name, ToDoubleFunction<BenchRow> value) {}

    private static final List<Figure> FIGURES = List.of(
            new Figure("ms_min", row -> row.timing().minMillis()),
            new Figure("ms", BenchRow::millis),
            new Figure("ms_max", row -> row.timing().maxMillis()),
            new Figure("gflops", BenchRow::gflops),
            new Figure("kernel_ms", row -> row.timing().kernelMillis()),
            new Figure("torch_ms", BenchRow::torchMillis),
            new Figure("speedup", BenchRow::speedup),
            new Figure("ort_ms_min", row -> row.ort().minMillis()),
            new Figure("ort_ms", row -> row.ort().medianMillis()),
            new Figure("ort_ms_max", row -> row.ort().maxMillis()),
            new Figure("vs_ort", BenchRow::vsOrt));

    private static final String TABLE_ROW = "%-18s %-17s %-10s %9s %9s %9s %9s %8s %9s %8s %9s %7s%n";

    private BenchReport() {}

    public static void print(List<BenchRow> rows, String format, String machine, PrintStream out) {
        switch (format) {
            case "csv" -> csv(rows, out);
            case "json" -> json(rows, machine, out);
            default -> table(rows, machine, out);
        }
    }

    /**
     * The geometric mean of {@code ratio} per device, over the rows where it was measured (not NaN); devices with
     * no such row are left out.
     */
    public static Map<String, Double> geometricMeans(List<BenchRow> rows, ToDoubleFunction<BenchRow> ratio) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (BenchRow row : rows) {
            double value = ratio.applyAsDouble(row);
            if (!Double.isNaN(value)) {
                double[] sum = sums.computeIfAbsent(row.device(), device -> new double[2]);
                sum[0] += Math.log(value);
                sum[1]++;
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((device, sum) -> means.put(device, Math.exp(sum[0] / sum[1])));
        return means;
    }

    private static void csv(List<BenchRow> rows, PrintStream out) {
        StringBuilder header = new StringBuilder("name,op,device");
        FIGURES.forEach(figure -> header.append(',').append(figure.name()));
        out.println(header.append(",samples"));
        for (BenchRow row : rows) {
            StringBuilder line = new StringBuilder(
                    String.join(",", row.shape().name(), row.shape().op(), row.device()));
            FIGURES.forEach(
                    figure -> line.append(',').append(number(figure.value().applyAsDouble(row))));
            out.println(line.append(',').append(row.timing().samples()));
        }
    }

    private static void table(List<BenchRow> rows, String machine, PrintStream out) {
        out.println("machine: " + machine);
        out.printf(
                Locale.ROOT,
                TABLE_ROW,
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
                "vs_ort");
        for (BenchRow row : rows) {
            out.printf(
                    Locale.ROOT,
                    TABLE_ROW,
                    row.shape().name(),
                    row.shape().op(),
                    row.device(),
                    fixed(row.timing().minMillis(), 3),
                    fixed(row.millis(), 3),
                    fixed(row.timing().maxMillis(), 3),
                    fixed(row.timing().kernelMillis(), 3),
                    fixed(row.gflops(), 1),
                    fixed(row.torchMillis(), 3),
                    fixed(row.speedup(), 2),
                    fixed(row.ort().medianMillis(), 3),
                    fixed(row.vsOrt(), 2));
        }
        geometricMeans(rows, BenchRow::speedup)
                .forEach((device, mean) ->
                        out.printf(Locale.ROOT, "geometric-mean speedup vs PyTorch on %s: %.2f%n", device, mean));
        geometricMeans(rows, BenchRow::vsOrt)
                .forEach((device, mean) ->
                        out.printf(Locale.ROOT, "geometric-mean speedup vs ONNX Runtime on %s: %.2f%n", device, mean));
    }

    private static void json(List<BenchRow> rows, String machine, PrintStream out) {
        StringBuilder text = new StringBuilder("{\n  \"machine\": \"" + escape(machine) + "\",\n  \"rows\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            BenchRow row = rows.get(i);
            text.append("    {\"name\": \"")
                    .append(escape(row.shape().name()))
                    .append("\", \"op\": \"")
                    .append(row.shape().op())
                    .append("\", \"device\": \"")
                    .append(escape(row.device()))
                    .append('"');
            for (Figure figure : FIGURES) {
                text.append(", \"")
                        .append(figure.name())
                        .append("\": ")
                        .append(jsonNumber(figure.value().applyAsDouble(row)));
            }
            text.append(", \"samples\": ")
                    .append(row.timing().samples())
                    .append('}')
                    .append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        text.append("  ],\n  \"geomean_speedup\": ")
                .append(jsonMeans(geometricMeans(rows, BenchRow::speedup)))
                .append(",\n  \"geomean_vs_ort\": ")
                .append(jsonMeans(geometricMeans(rows, BenchRow::vsOrt)))
                .append("\n}");
        out.println(text);
    }

    private static String jsonMeans(Map<String, Double> means) {
        StringBuilder text = new StringBuilder("{");
        means.forEach((device, mean) -> text.append(text.length() > 1 ? ", " : "")
                .append('"')
                .append(escape(device))
                .append("\": ")
                .append(jsonNumber(mean)));
        return text.append('}').toString();
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
