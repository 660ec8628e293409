package dev.jconv.cli;

import dev.jconv.Device;
import dev.jconv.Devices;
import dev.jconv.Sequential;
import dev.jconv.Tensor;
import dev.jconv.geometry.Shapes;
import dev.jconv.io.Npy;
import dev.jconv.io.SequentialLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code jconv run-model}: a whole network from its {@code net.json} and {@code net.safetensors} on one input
 * {@code .npy}. A [C, H, W] input runs as a batch of one and its output keeps the input's rank, so networks with
 * BatchNorm2d (which PyTorch runs only on 4-D input) take single images too. The output file appears only when
 * everything succeeded.
 */
final class RunModelCommand {

    private static final String NAME = "run-model";
    private static final Set<String> OPTIONS = Set.of("--model", "--weights", "--input", "--output", "--device");

    private RunModelCommand() {}

    static int run(List<String> args, PrintStream out) throws IOException {
        Arguments arguments = Arguments.parseOptions(NAME, args, OPTIONS, Set.of());
        Path model = Path.of(arguments.require(NAME, "--model"));
        Path weights = Path.of(arguments.require(NAME, "--weights"));
        Path output = Path.of(arguments.require(NAME, "--output"));
        OutputFiles.checkWritable(NAME, "--output", output);
        String selection = arguments.get("--device", Devices.configuredSelection());
        Devices.checkSelection(selection);
        Tensor input = Npy.read(Path.of(arguments.require(NAME, "--input")));
        boolean single = input.dim() == 3;
        if (!single && input.dim() != 4) {
            throw new IllegalArgumentException(
                    "--input must be [N, C, H, W] or [C, H, W], but got shape " + Shapes.format(input.shape()));
        }
        Tensor batch = single ? Tensor.of(input.toArray(), prepend(1, input.shape())) : input;
        Tensor result;
        Device device;
        long nanos;
        int steps;
        try (Sequential net = SequentialLoader.load(model, weights)) {
            // Chosen only now, so a bad file is reported before any device is opened or logged about.
            device = Device.select(selection);
            long start = System.nanoTime();
            result = net.to(device).forward(batch);
            nanos = System.nanoTime() - start;
            if (single) {
                int[] shape = result.shape();
                result = Tensor.of(result.toArray(), shape[1], shape[2], shape[3]);
            }
            steps = net.layers().size();
        }
        Npy.write(output, result);
        out.println("wrote " + output + " " + Shapes.format(result.shape()) + " (" + steps + " fused steps on "
                + device.id() + ", " + String.format("%.1f", nanos / 1e6) + " ms including first-use kernel builds)");
        return 0;
    }

    private static int[] prepend(int first, int[] shape) {
        int[] result = new int[shape.length + 1];
        result[0] = first;
        System.arraycopy(shape, 0, result, 1, shape.length);
        return result;
    }
}
