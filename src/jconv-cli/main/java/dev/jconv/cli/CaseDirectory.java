package dev.jconv.cli;

import dev.jconv.AllClose;
import dev.jconv.Conv2dAlgorithm;
import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.IntPair;
import dev.jconv.Sequential;
import dev.jconv.Tensor;
import dev.jconv.backend.opencl.OpenClException;
import dev.jconv.files.Json;
import dev.jconv.io.Npy;
import dev.jconv.io.SequentialLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One verification case exported from PyTorch. A layer case: {@code spec.json}, {@code x.npy}, {@code w.npy},
 * optional {@code b.npy}, and either {@code y.npy} (PyTorch's output) or an {@code expect_error} key (PyTorch rejected
 * the call, so jconv must reject it too). A network case ({@code scripts/gen-golden-nets.py}): {@code net.json},
 * {@code net.safetensors}, {@code x.npy} and {@code y.npy}. {@code jconv verify} and the golden test suites run cases
 * through here.
 */
public final class CaseDirectory {

    /** How one case went. {@code worstError} is NaN when no output was compared. */
    public record Outcome(String name, boolean passed, double worstError, String detail) {}

    private static final String NETWORK = "net.json";
    private static final String WEIGHTS = "net.safetensors";

    private final Path directory;

    public CaseDirectory(Path directory) {
        this.directory = directory;
    }

    public String name() {
        return directory.getFileName().toString();
    }

    /** {@code root} itself when it is a case, else every case directly below it, sorted by name. */
    public static List<CaseDirectory> find(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a directory");
        }
        if (isCase(root)) {
            return List.of(new CaseDirectory(root));
        }
        List<CaseDirectory> cases = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(CaseDirectory::isCase).sorted().forEach(child -> cases.add(new CaseDirectory(child)));
        }
        if (cases.isEmpty()) {
            throw new IOException(root + ": holds no case (no spec.json or net.json in it or in its subdirectories)");
        }
        return cases;
    }

    private static boolean isCase(Path directory) {
        return Files.exists(directory.resolve("spec.json")) || Files.exists(directory.resolve(NETWORK));
    }

    /**
     * Runs the case on {@code device}. A case file that cannot be read fails the case; it never counts as the
     * rejection an {@code expect_error} case asks for. So does an OpenCL failure, named in the outcome, so the next
     * case still runs.
     */
    public Outcome run(Device device, double rtol, double atol) {
        return run(device, Conv2dAlgorithm.EXACT, rtol, atol);
    }

    /** The call this case describes, or empty for a network case or an unreadable spec. */
    Optional<ConvCall> call() {
        if (Files.exists(directory.resolve(NETWORK))) {
            return Optional.empty();
        }
        try {
            return Optional.of(CaseSpec.toCall(readSpec()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** As {@link #run(Device, double, double)}, a Conv2d case computed by {@code algorithm}. */
    public Outcome run(Device device, Conv2dAlgorithm algorithm, double rtol, double atol) {
        if (Files.exists(directory.resolve(NETWORK))) {
            return runNetwork(device, rtol, atol);
        }
        Map<String, Object> spec;
        try {
            spec = readSpec();
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(name(), false, Double.NaN, "unreadable case: " + e.getMessage());
        }
        Object expectedError = spec.get("expect_error");
        Tensor output;
        try {
            ConvCall call = CaseSpec.toCall(spec);
            // The module is built before the files are read: a case PyTorch rejects in its constructor may have no
            // weight file, since no weight of a negative size can exist.
            try (ConvModule<?, ?> module = call.build(algorithm).to(device)) {
                Tensor input = Npy.read(directory.resolve("x.npy"));
                Tensor weight = Npy.read(directory.resolve("w.npy"));
                Tensor bias = call.bias() && Files.exists(directory.resolve("b.npy"))
                        ? Npy.read(directory.resolve("b.npy"))
                        : null;
                output = call.prepare(module, input, weight, bias).get();
                // Queued work that fails shows at the next wait: waiting here charges it to this case, not the next.
                device.synchronize();
            }
        } catch (OpenClException e) {
            return new Outcome(name(), false, Double.NaN, "OpenCL failed: " + firstLine(e.getMessage()));
        } catch (IOException e) {
            return new Outcome(name(), false, Double.NaN, "unreadable case: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            if (expectedError != null) {
                return new Outcome(name(), true, Double.NaN, "rejected as PyTorch does: " + e.getMessage());
            }
            return new Outcome(name(), false, Double.NaN, "jconv rejected a call PyTorch accepts: " + e.getMessage());
        }
        if (expectedError != null) {
            return new Outcome(
                    name(),
                    false,
                    Double.NaN,
                    "PyTorch rejects this call (" + expectedError + ") but jconv accepted it");
        }
        try {
            Npy.Array expected = Npy.readArray(directory.resolve("y.npy"));
            return compare(output, expected, rtol, atol);
        } catch (IOException e) {
            return new Outcome(name(), false, Double.NaN, "unreadable case: " + e.getMessage());
        }
    }

    private Outcome runNetwork(Device device, double rtol, double atol) {
        Tensor output;
        try (Sequential net = SequentialLoader.load(directory.resolve(NETWORK), directory.resolve(WEIGHTS))) {
            output = net.to(device).forward(Npy.read(directory.resolve("x.npy")));
            return compare(output, Npy.readArray(directory.resolve("y.npy")), rtol, atol);
        } catch (OpenClException e) {
            return new Outcome(name(), false, Double.NaN, "OpenCL failed: " + firstLine(e.getMessage()));
        } catch (IOException e) {
            return new Outcome(name(), false, Double.NaN, "unreadable case: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Outcome(name(), false, Double.NaN, "jconv rejected a network PyTorch runs: " + e.getMessage());
        }
    }

    /** A build failure's message goes on with the options and the compiler's log; the verdict needs one line. */
    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private Map<String, Object> readSpec() throws IOException {
        Object parsed = Json.read(directory.resolve("spec.json"));
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IOException(directory.resolve("spec.json") + ": expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) map;
        return spec;
    }

    /** PyTorch's output against ours by numpy.allclose's rule ({@link AllClose}). */
    private Outcome compare(Tensor output, Npy.Array expected, double rtol, double atol) {
        if (!java.util.Arrays.equals(output.shape(), expected.shape())) {
            return new Outcome(
                    name(),
                    false,
                    Double.NaN,
                    "output shape " + java.util.Arrays.toString(output.shape()) + " differs from PyTorch's "
                            + java.util.Arrays.toString(expected.shape()));
        }
        float[] actual = output.toArray();
        AllClose comparison = AllClose.compare(actual, expected.data(), rtol, atol);
        double worst = comparison.worstDifference();
        if (!comparison.passed()) {
            return new Outcome(
                    name(),
                    false,
                    worst,
                    comparison.failures() + " of " + actual.length + " elements outside rtol=" + rtol + " atol="
                            + atol);
        }
        return new Outcome(name(), true, worst, "ok");
    }

    /** Reads spec.json's keys into a call; a missing or mistyped key is a format error, not a validation error. */
    static final class CaseSpec {

        private CaseSpec() {}

        static ConvCall toCall(Map<String, Object> spec) throws IOException {
            ConvCall.Op op = ConvCall.Op.parse(string(spec, "op", null));
            Object padding = spec.getOrDefault("padding", List.of(0L, 0L));
            String paddingText = padding instanceof String word ? word : pairText(pair(spec, "padding", null));
            return new ConvCall(
                    op,
                    integer(spec, "in_channels"),
                    integer(spec, "out_channels"),
                    pair(spec, "kernel_size", null),
                    pair(spec, "stride", IntPair.of(1)),
                    paddingText,
                    pair(spec, "dilation", IntPair.of(1)),
                    spec.containsKey("groups") ? integer(spec, "groups") : 1,
                    !Boolean.FALSE.equals(spec.getOrDefault("bias", Boolean.TRUE)),
                    op == ConvCall.Op.CONV_TRANSPOSE2D ? pair(spec, "output_padding", IntPair.of(0)) : IntPair.of(0),
                    string(spec, "padding_mode", "zeros"),
                    op == ConvCall.Op.CONV_TRANSPOSE2D ? sizes(spec, "output_size") : null);
        }

        private static String pairText(IntPair pair) {
            return pair.height() + "," + pair.width();
        }

        /** The value under {@code key}, or null when it is absent and has a fallback. */
        private static Object value(Map<String, Object> spec, String key, Object fallback) throws IOException {
            Object value = spec.get(key);
            if (value == null && fallback == null) {
                throw new IOException("spec.json: missing key '" + key + "'");
            }
            return value;
        }

        private static String string(Map<String, Object> spec, String key, String fallback) throws IOException {
            Object value = value(spec, key, fallback);
            if (value == null) {
                return fallback;
            }
            if (!(value instanceof String text)) {
                throw new IOException("spec.json: '" + key + "' must be a string, got " + value);
            }
            return text;
        }

        private static int integer(Map<String, Object> spec, String key) throws IOException {
            Object value = spec.get(key);
            if (!(value instanceof Long number) || number != number.intValue()) {
                throw new IOException("spec.json: '" + key + "' must be an integer, got " + value);
            }
            return number.intValue();
        }

        /** An int (square) or a 1- or 2-element list. */
        private static IntPair pair(Map<String, Object> spec, String key, IntPair fallback) throws IOException {
            Object value = value(spec, key, fallback);
            if (value == null) {
                return fallback;
            }
            int[] values = ints(key, value);
            if (values.length == 1) {
                return IntPair.of(values[0]);
            }
            if (values.length == 2) {
                return IntPair.of(values[0], values[1]);
            }
            throw new IOException("spec.json: '" + key + "' must be an integer or [h, w], got " + value);
        }

        private static int[] sizes(Map<String, Object> spec, String key) throws IOException {
            Object value = spec.get(key);
            return value == null ? null : ints(key, value);
        }

        private static int[] ints(String key, Object value) throws IOException {
            List<?> items = value instanceof List<?> list ? list : List.of(value);
            int[] values = new int[items.size()];
            for (int i = 0; i < values.length; i++) {
                if (!(items.get(i) instanceof Long number) || number != number.intValue()) {
                    throw new IOException("spec.json: '" + key + "' must hold integers, got " + value);
                }
                values[i] = ((Long) items.get(i)).intValue();
            }
            return values;
        }
    }
}
