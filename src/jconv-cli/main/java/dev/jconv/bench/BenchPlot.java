package dev.jconv.bench;

import dev.jconv.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws GFLOP/s per shape, one bar series per device and one each for PyTorch and ONNX Runtime when compared, into
 * a PNG (XChart). The title names the devices, the machine and the date, and each shape's label carries its sizes, so
 * a chart read on its own says what was measured.
 */
final class BenchPlot {

    private BenchPlot() {}

    static void write(List<BenchRow> rows, List<Device> devices, String machine, LocalDate date, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> shapes =
                rows.stream().map(row -> row.shape().name()).distinct().toList();
        Map<String, double[]> series = new LinkedHashMap<>();
        for (BenchRow row : rows) {
            series.computeIfAbsent(row.device(), device -> new double[shapes.size()])[
                            shapes.indexOf(row.shape().name())] =
                    row.gflops();
        }
        addReference(series, "pytorch", rows, shapes, BenchRow::torchMillis);
        addReference(series, "onnxruntime", rows, shapes, row -> row.ort().medianMillis());
        CategoryChart chart = new CategoryChartBuilder()
                .width(Math.max(900, 130 * shapes.size()))
                .height(620)
                .title(title(devices, machine, date))
                .xAxisTitle("shape: N x C x H x W input, then out channels, kernel k, stride s (T = ConvTranspose2d)")
                .yAxisTitle("throughput (GFLOP/s, 2 x multiply-adds / median time)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(35);
        chart.getStyler().setAvailableSpaceFill(0.85);
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (double value : entry.getValue()) {
                values.add(value);
            }
            chart.addSeries(entry.getKey(), labels(rows, shapes), values);
        }
        Path absolute = file.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), ".plot", ".png");
        try {
            BitmapEncoder.saveBitmap(chart, temporary.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static String title(List<Device> devices, String machine, LocalDate date) {
        String names = devices.stream()
                .map(device -> device.id() + " " + device.info().name())
                .collect(Collectors.joining(", "));
        return "jconv throughput per shape on " + names + " (" + machine + "), " + date;
    }

    /** Each shape's axis label: its name and sizes, in the order of {@code shapes}. */
    static List<String> labels(List<BenchRow> rows, List<String> shapes) {
        Map<String, WorkloadShape> byName = new LinkedHashMap<>();
        rows.forEach(row -> byName.putIfAbsent(row.shape().name(), row.shape()));
        return shapes.stream().map(name -> byName.get(name).label()).toList();
    }

    /** Adds the GFLOP/s of a reference implementation as one more series, when it was measured for any shape. */
    private static void addReference(
            Map<String, double[]> series,
            String name,
            List<BenchRow> rows,
            List<String> shapes,
            ToDoubleFunction<BenchRow> millis) {
        double[] values = new double[shapes.size()];
        boolean measured = false;
        for (BenchRow row : rows) {
            double value = millis.applyAsDouble(row);
            if (!Double.isNaN(value)) {
                values[shapes.indexOf(row.shape().name())] = BenchRow.gflops(row.shape(), value);
                measured = true;
            }
        }
        if (measured) {
            series.put(name, values);
        }
    }
}
