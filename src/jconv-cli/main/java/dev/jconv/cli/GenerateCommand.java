package dev.jconv.cli;

import dev.jconv.AllClose;
import dev.jconv.Device;
import dev.jconv.Devices;
import dev.jconv.Sequential;
import dev.jconv.Tensor;
import dev.jconv.bench.NetworkTimer;
import dev.jconv.bench.Timing;
import dev.jconv.io.AtomicFiles;
import dev.jconv.io.Npy;
import dev.jconv.io.SequentialLoader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;

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

    private static final int GAP_GREY = 0x606060;
    /** Each generated pixel becomes a square of this many screen pixels, with this gap between images. */
    private static final int ZOOM = 4;

    private static final int GAP = 2;

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
            writeGrid(png, images);
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

    /** Images [N, C, H, W] in [-1, 1] (Tanh) as a near-square grid; one channel is grey, three are RGB. */
    private static void writeGrid(Path png, Tensor images) throws IOException {
        int[] shape = images.shape();
        int count = shape[0];
        int channels = shape[1];
        int height = shape[2];
        int width = shape[3];
        int columns = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + columns - 1) / columns;
        int cellWidth = width * ZOOM + GAP;
        int cellHeight = height * ZOOM + GAP;
        BufferedImage grid =
                new BufferedImage(columns * cellWidth + GAP, rows * cellHeight + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D background = grid.createGraphics();
        background.setColor(new Color(GAP_GREY));
        background.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        background.dispose();
        float[] data = images.toArray();
        for (int image = 0; image < count; image++) {
            int left = GAP + image % columns * cellWidth;
            int top = GAP + image / columns * cellHeight;
            for (int y = 0; y < height * ZOOM; y++) {
                for (int x = 0; x < width * ZOOM; x++) {
                    int pixel = (y / ZOOM) * width + x / ZOOM;
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        float value = data[((image * channels) + (channels == 3 ? c : 0)) * height * width + pixel];
                        rgb = rgb << 8 | Math.round(Math.max(0f, Math.min(1f, (value + 1) / 2)) * 255);
                    }
                    grid.setRGB(left + x, top + y, rgb);
                }
            }
        }
        AtomicFiles.write(png, stream -> {
            if (!ImageIO.write(grid, "png", stream)) {
                throw new IOException("this Java runtime has no PNG writer");
            }
        });
    }
}
