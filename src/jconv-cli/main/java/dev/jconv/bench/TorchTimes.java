package dev.jconv.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch's times for a workload, taken in the same run by {@code torch-bench.py} (shipped in the jar) under Debian's
 * {@code python3-torch}. Missing PyTorch is reported, not fatal: the benchmark then runs without the comparison.
 */
final class TorchTimes {

    private TorchTimes() {}

    /**
     * Median milliseconds per shape name, or an empty map (with the reason on {@code progress}) when PyTorch cannot
     * be run.
     */
    static Map<String, Double> measure(
            List<WorkloadShape> shapes, int threads, double budgetSeconds, PrintStream progress) throws IOException {
        Path directory = Files.createTempDirectory("jconv-bench");
        try {
            Path script = directory.resolve("torch-bench.py");
            try (InputStream in = TorchTimes.class.getResourceAsStream("/dev/jconv/bench/torch-bench.py")) {
                if (in == null) {
                    throw new IOException("torch-bench.py is missing from the jar");
                }
                Files.copy(in, script);
            }
            Path workload = directory.resolve("workload.csv");
            List<String> lines = new ArrayList<>();
            lines.add(Workload.HEADER);
            for (WorkloadShape s : shapes) {
                lines.add(String.join(
                        ",",
                        s.name(),
                        s.op(),
                        "" + s.batch(),
                        "" + s.inChannels(),
                        "" + s.height(),
                        "" + s.width(),
                        "" + s.outChannels(),
                        "" + s.kernel(),
                        "" + s.stride(),
                        "" + s.padding(),
                        "" + s.dilation(),
                        "" + s.groups(),
                        "" + s.outputPadding()));
            }
            Files.write(workload, lines);
            String python = System.getenv().getOrDefault("JCONV_PYTHON", "/usr/bin/python3");
            Process process = new ProcessBuilder(
                            python,
                            script.toString(),
                            workload.toString(),
                            "--threads",
                            "" + threads,
                            "--budget",
                            "" + budgetSeconds)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Map<String, Double> times = new HashMap<>();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String[] cells = line.split(",");
                    if (cells.length == 2) {
                        times.put(cells[0], Double.parseDouble(cells[1]));
                    }
                }
            }
            int code = process.waitFor(10, TimeUnit.MINUTES) ? process.exitValue() : -1;
            if (code != 0) {
                progress.println("bench: PyTorch comparison unavailable (" + python + " exited " + code
                        + "); continuing without it");
                return Map.of();
            }
            return times;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while PyTorch was timing", e);
        } finally {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        }
    }
}
