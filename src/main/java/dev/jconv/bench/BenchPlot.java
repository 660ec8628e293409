package dev.jconv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Draws GFLOP/s per shape, one bar series per device and one for PyTorch when compared, into a PNG (XChart). */
final class BenchPlot {

    private BenchPlot() {
    }

    static void write(List<BenchRow> rows, String machine, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> shapes = rows.stream().map(row -> row.shape().name()).distinct().toList();
        Map<String, double[]> series = new LinkedHashMap<>();
        double[] torch = new double[shapes.size()];
        boolean compared = false;
        for (BenchRow row : rows) {
            int index = shapes.indexOf(row.shape().name());
            series.computeIfAbsent(row.device(), device -> new double[shapes.size()])[index] = row.gflops();
            if (!Double.isNaN(row.torchMillis())) {
                torch[index] = 2.0 * row.shape().multiplyAdds() / (row.torchMillis() * 1e6);
                compared = true;
            }
        }
        if (compared) {
            series.put("pytorch", torch);
        }
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
}
