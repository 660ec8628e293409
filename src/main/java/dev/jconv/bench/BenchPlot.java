package dev.jconv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws GFLOP/s per shape, one bar series per device and one each for PyTorch and ONNX Runtime when compared, into
 * a PNG (XChart).
 */
final class BenchPlot {

    private BenchPlot() {
    }

    static void write(List<BenchRow> rows, String machine, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> shapes = rows.stream().map(row -> row.shape().name()).distinct().toList();
        Map<String, double[]> series = new LinkedHashMap<>();
        for (BenchRow row : rows) {
            series.computeIfAbsent(row.device(), device -> new double[shapes.size()])[shapes.indexOf(
                    row.shape().name())] = row.gflops();
        }
        addReference(series, "pytorch", rows, shapes, BenchRow::torchMillis);
        addReference(series, "onnxruntime", rows, shapes, row -> row.ort().medianMillis());
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 110 * shapes.size())).height(560)
                .title("jconv GFLOP/s per shape (" + machine + ")").xAxisTitle("shape").yAxisTitle("GFLOP/s")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(35);
        chart.getStyler().setAvailableSpaceFill(0.85);
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (double value : entry.getValue()) {
                values.add(value);
            }
            chart.addSeries(entry.getKey(), shapes, values);
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

    /** Adds the GFLOP/s of a reference implementation as one more series, when it was measured for any shape. */
    private static void addReference(Map<String, double[]> series, String name, List<BenchRow> rows,
                                     List<String> shapes, ToDoubleFunction<BenchRow> millis) {
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
