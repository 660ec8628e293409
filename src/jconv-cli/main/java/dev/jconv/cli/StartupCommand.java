package dev.jconv.cli;

import dev.jconv.Devices;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code jconv startup [--device D] [--repeat N] [--classpath CP] [--plain-only]}: how long the seed's two layers take
 * to give their first result in a fresh JVM, as a new user would run them ({@link StartupProbe}). Each repetition
 * gets an empty jconv cache directory and an empty PoCL cache ({@code JCONV_CACHE_DIR}, {@code POCL_CACHE_DIR}) and
 * starts, with this JVM's java, flags and environment:
 * <ol>
 *   <li>a cold process: first result with every cache empty, then 8 input sizes these modules never saw;</li>
 *   <li>a warm process on the same caches: first result, then the same 8 sizes, which the cold one built;</li>
 *   <li>a process with jconv's cache warm and an empty PoCL cache, as in a container image that ships only
 *       jconv's cache: first result;</li>
 *   <li>unless {@code --plain-only}: a cold process that prepares both modules on two threads first.</li>
 * </ol>
 * Prints min / median / max of each figure over the repetitions. {@code --classpath} runs the processes on another
 * build's classes (put its jar first, this one after it for the probe), with {@code --plain-only} if that build has
 * no {@code prepare}.
 */
final class StartupCommand {

    /** Input sizes (H = W) the layers have not seen: 16 is the first result's. */
    private static final List<Integer> NEW_SIZES = List.of(12, 14, 18, 20, 22, 24, 28, 32);

    private static final long PROCESS_TIMEOUT_MINUTES = 10;

    private StartupCommand() {}

    /** One probe process's report. */
    private record Probe(double firstMillis, double jvmMillis, List<Double> sizeMillis) {}

    static int run(List<String> args, PrintStream out) throws IOException {
        Arguments arguments = Arguments.parseOptions(
                "startup", args, Set.of("--device", "--repeat", "--classpath"), Set.of("--plain-only"));
        String selection = arguments.get("--device", Devices.configuredSelection());
        Devices.checkSelection(selection);
        int repeat = arguments.integer("startup", "--repeat", 3);
        if (repeat < 1) {
            throw new UsageException("startup: --repeat must be at least 1, but got " + repeat);
        }
        String classpath = arguments.get("--classpath", System.getProperty("java.class.path"));
        boolean plainOnly = arguments.has("--plain-only");
        String sizes = String.join(",", NEW_SIZES.stream().map(String::valueOf).toList());

        Map<String, List<Double>> figures = new LinkedHashMap<>();
        for (int round = 1; round <= repeat; round++) {
            Path root = Files.createTempDirectory("jconv-startup-");
            try {
                Path jconvCache = Files.createDirectories(root.resolve("jconv-cache"));
                Path poclCache = Files.createDirectories(root.resolve("pocl-cache"));
                Probe cold = probe(classpath, selection, "plain", sizes, jconvCache, poclCache);
                Probe warm = probe(classpath, selection, "plain", sizes, jconvCache, poclCache);
                add(figures, "first result, every cache empty (in main)", cold.firstMillis());
                add(figures, "first result, every cache empty (since JVM start)", cold.jvmMillis());
                add(figures, "first result, caches warm (in main)", warm.firstMillis());
                add(figures, "first result, caches warm (since JVM start)", warm.jvmMillis());
                add(
                        figures,
                        "new input size, same modules (median of " + NEW_SIZES.size() + ")",
                        median(cold.sizeMillis()));
                add(
                        figures,
                        "input size an earlier process built (median of " + NEW_SIZES.size() + ")",
                        median(warm.sizeMillis()));
                Probe jconvCacheOnly = probe(
                        classpath,
                        selection,
                        "plain",
                        "",
                        jconvCache,
                        Files.createDirectories(root.resolve("pocl-cache-empty")));
                add(
                        figures,
                        "first result, jconv cache warm, PoCL cache empty (in main)",
                        jconvCacheOnly.firstMillis());
                if (!plainOnly) {
                    Probe threads = probe(
                            classpath,
                            selection,
                            "prepare-threads",
                            "",
                            Files.createDirectories(root.resolve("jconv-cache-2")),
                            Files.createDirectories(root.resolve("pocl-cache-2")));
                    add(
                            figures,
                            "first result, caches empty, both prepared on 2 threads (in main)",
                            threads.firstMillis());
                }
            } finally {
                deleteRecursively(root);
            }
        }
        out.printf(
                Locale.ROOT,
                "device %s, %d repetition(s), each in fresh JVMs with empty caches to start%n",
                selection,
                repeat);
        out.printf(Locale.ROOT, "%-66s %9s %9s %9s%n", "figure (ms)", "min", "median", "max");
        for (Map.Entry<String, List<Double>> figure : figures.entrySet()) {
            List<Double> values = figure.getValue();
            out.printf(
                    Locale.ROOT,
                    "%-66s %9.1f %9.1f %9.1f%n",
                    figure.getKey(),
                    values.stream().min(Comparator.naturalOrder()).orElseThrow(),
                    median(values),
                    values.stream().max(Comparator.naturalOrder()).orElseThrow());
        }
        return 0;
    }

    private static void add(Map<String, List<Double>> figures, String name, double value) {
        figures.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Runs one {@link StartupProbe} in a fresh JVM on the given caches and reads its report. */
    private static Probe probe(
            String classpath, String selection, String mode, String sizes, Path jconvCache, Path poclCache)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.addAll(List.of("-cp", classpath, StartupProbe.class.getName(), selection, mode, sizes));
        ProcessBuilder builder = new ProcessBuilder(command);
        // The rest of the environment (LD_PRELOAD with libjsig, JCONV_* settings) is inherited as it is.
        builder.environment().put("JCONV_CACHE_DIR", jconvCache.toString());
        builder.environment().put("POCL_CACHE_DIR", poclCache.toString());
        Path output = Files.createTempFile(jconvCache.getParent(), "probe", ".out");
        Path errors = Files.createTempFile(jconvCache.getParent(), "probe", ".err");
        builder.redirectOutput(output.toFile()).redirectError(errors.toFile());
        Process process = builder.start();
        if (!waitFor(process)) {
            process.destroyForcibly();
            throw new IllegalStateException("startup: a probe process (" + mode + ") ran longer than "
                    + PROCESS_TIMEOUT_MINUTES + " minutes and was stopped");
        }
        String report = Files.readString(output, StandardCharsets.UTF_8)
                .lines()
                .filter(line -> line.startsWith(StartupProbe.PREFIX))
                .findFirst()
                .orElse(null);
        if (process.exitValue() != 0 || report == null) {
            String stderr = Files.readString(errors, StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.startsWith("WARNING: Using incubator modules"))
                    .findFirst()
                    .orElse("");
            throw new IllegalStateException("startup: the probe process (" + mode + ") exited with "
                    + process.exitValue() + " and no report; its first error line: " + stderr);
        }
        return parse(report);
    }

    /** Waits for the process; false when it ran past the limit. */
    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(PROCESS_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("startup: interrupted while a probe process ran", e);
        }
    }

    /** This JVM's flags (-D, -X, --add-modules, ...), without debugger or agent flags, which cannot be shared. */
    private static List<String> jvmFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> !flag.startsWith("-agentlib")
                        && !flag.startsWith("-javaagent")
                        && !flag.startsWith("-Xrunjdwp")
                        && !flag.startsWith("-Xdebug"))
                .toList();
    }

    static Probe parse(String report) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field :
                report.substring(StartupProbe.PREFIX.length()).trim().split(" ")) {
            int equals = field.indexOf('=');
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        List<Double> sizes = new ArrayList<>();
        String sizeText = fields.getOrDefault("sizes_ms", "");
        if (!sizeText.isEmpty()) {
            for (String value : sizeText.split(",")) {
                sizes.add(Double.parseDouble(value));
            }
        }
        return new Probe(Double.parseDouble(fields.get("first_ms")), Double.parseDouble(fields.get("jvm_ms")), sizes);
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
