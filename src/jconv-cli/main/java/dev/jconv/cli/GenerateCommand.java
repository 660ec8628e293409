package dev.jconv.cli;

import dev.jconv.AllClose;
import dev.jconv.Device;
import dev.jconv.Devices;
import dev.jconv.Sequential;
import dev.jconv.Tensor;
import dev.jconv.bench.NetworkTimer;
import dev.jconv.bench.Timing;
import dev.jconv.io.Npy;
import dev.jconv.io.SequentialLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * {@code jconv generate}: the shipped digits generator (trained by {@code scripts/train-digits.py}) on the best
 * device. It first checks the device's output for PyTorch's reference latents against PyTorch's own output, then
 * draws {@code --count} latents from N(0, 1) with {@code --seed}, writes the images as a PNG grid and times the batch
 * by the bench's rule; {@code --compare-ort} times ONNX Runtime on the same network and latents beside it.
 */
final class GenerateCommand {

    private static final String NAME = "generate";
    private static final double TOLERANCE = 1e-4;
    private static final int MAX_COUNT = 1024;
    /** Seconds of sampling per timed network, after the bench's warm-up. */
    private static final double DEFAULT_BUDGET_SECONDS = 3;

    private GenerateCommand() {}

    static int run(List<String> args, PrintStream out) throws IOException {
        Arguments arguments = Arguments.parseOptions(
                NAME, args, Set.of("--device", "--seed", "--count", "--out", "--budget"), Set.of("--compare-ort"));
        Path png = Path.of(arguments.get("--out", "digits.png"));
        OutputFiles.checkWritable(NAME, "--out", png);
        int count = arguments.integer(NAME, "--count", 64);
        if (count < 1 || count > MAX_COUNT) {
            throw new UsageException(NAME + ": --count must be between 1 and " + MAX_COUNT + ", but got " + count);
        }
        long seed = arguments.integer(NAME, "--seed", 0);
        double budget = arguments.number(NAME, "--budget", DEFAULT_BUDGET_SECONDS);
        if (!(budget > 0)) {
            throw new UsageException(NAME + ": --budget must be a positive number of seconds, but got " + budget);
        }
        String selection = arguments.get("--device", Devices.configuredSelection());
        Devices.checkSelection(selection);
        ShippedModel model = ShippedModel.extract("digits");
        Tensor referenceLatents = Npy.read(model.file("latent.npy"));
        Tensor referenceImages = Npy.read(model.file("expected.npy"));
        Device device = Device.select(selection);
        out.println("device: " + device);
        try (Sequential net = SequentialLoader.load(model.file("net.json"), model.file("net.safetensors"))) {
            net.to(device);
            checkAgainstPyTorch(net, referenceLatents, referenceImages, out);
            int[] latentShape = referenceLatents.shape();
            latentShape[0] = count;
            Tensor latents = normal(seed, latentShape);
            Tensor images = net.forward(latents);
            ImageGrid.write(png, images);
            out.println("wrote " + png + " (" + count + " digits from seed " + seed + ")");
            NetworkTimer timer = new NetworkTimer(budget);
            report(
                    out,
                    "jconv on " + device.id(),
                    timer.time(() -> net.forward(latents).toArray()),
                    count);
            if (arguments.has("--compare-ort")) {
                report(
                        out,
                        "ONNX Runtime (CPU)",
                        timer.onnxRuntime(
                                model.file("net.json"), model.file("net.safetensors"), latents, images.toArray(), out),
                        count);
            }
        }
        return 0;
    }

    private static void checkAgainstPyTorch(Sequential net, Tensor latents, Tensor expected, PrintStream out) {
        AllClose check = AllClose.compare(net.forward(latents).toArray(), expected.toArray(), TOLERANCE, TOLERANCE);
        if (!check.passed()) {
            throw new IllegalStateException("the generator's output differs from PyTorch's on the reference latents:"
                    + " " + check.failures() + " values outside rtol = atol = " + TOLERANCE + ", worst difference "
                    + check.worstDifference());
        }
        out.printf(
                "matches PyTorch on %d reference latents (worst difference %.2e, tolerance %.0e)%n",
                latents.size(0), check.worstDifference(), TOLERANCE);
    }

    /** One timing line: per image from the median, and the batch's min/median/max; nothing for a null timing. */
    private static void report(PrintStream out, String who, Timing timing, int count) {
        if (timing == null) {
            return;
        }
        out.printf(
                Locale.ROOT,
                "%s: %.3f ms per image (batch of %d, host to host; min/median/max %.2f/%.2f/%.2f ms"
                        + " over %d batches)%n",
                who,
                timing.medianMillis() / count,
                count,
                timing.minMillis(),
                timing.medianMillis(),
                timing.maxMillis(),
                timing.samples());
    }

    private static Tensor normal(long seed, int[] shape) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(Tensor.zeros(shape).numel())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.of(values, shape);
    }
}
