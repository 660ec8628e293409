package dev.jconv.cli;

import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.Devices;
import dev.jconv.IntPair;
import dev.jconv.Tensor;
import dev.jconv.geometry.Shapes;
import dev.jconv.io.Npy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code jconv run}: one convolution from .npy files. Channels and kernel size come from the weight's shape; the
 * output file appears only when everything succeeded.
 */
final class RunCommand {

    private static final String NAME = "run";
    private static final Set<String> OPTIONS = Set.of(
            "--op",
            "--input",
            "--weight",
            "--bias",
            "--output",
            "--stride",
            "--padding",
            "--dilation",
            "--groups",
            "--output-padding",
            "--padding-mode",
            "--output-size",
            "--device");

    private RunCommand() {}

    static int run(List<String> args, PrintStream out) throws IOException {
        Arguments arguments = Arguments.parseOptions(NAME, args, OPTIONS, Set.of());
        ConvCall.Op op = ConvCall.Op.parse(arguments.require(NAME, "--op"));
        Path output = Path.of(arguments.require(NAME, "--output"));
        OutputFiles.checkWritable(NAME, "--output", output);
        if (op == ConvCall.Op.CONV2D) {
            for (String transposedOnly : List.of("--output-padding", "--output-size")) {
                if (arguments.has(transposedOnly)) {
                    throw new UsageException(NAME + ": " + transposedOnly + " applies only to --op conv_transpose2d");
                }
            }
        }
        String deviceSelection = arguments.get("--device", Devices.configuredSelection());
        Devices.checkSelection(deviceSelection);
        Device device;
        Tensor input = Npy.read(Path.of(arguments.require(NAME, "--input")));
        Tensor weight = Npy.read(Path.of(arguments.require(NAME, "--weight")));
        Tensor bias = arguments.has("--bias") ? Npy.read(Path.of(arguments.get("--bias", null))) : null;
        int groups = arguments.integer(NAME, "--groups", 1);
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("weight must be 4-D ("
                    + (op == ConvCall.Op.CONV2D ? "[out, in/groups, kH, kW]" : "[in, out/groups, kH, kW]")
                    + "), but got shape "
                    + Shapes.format(weight.shape()));
        }
        if (bias != null && bias.dim() != 1) {
            throw new IllegalArgumentException(
                    "bias must be 1-D [out_channels], but got shape " + Shapes.format(bias.shape()));
        }
        int[] w = weight.shape();
        WeightLayout layout = new WeightLayout(op, w, groups);
        layout.checkAgainst(input, bias);
        ConvCall call = new ConvCall(
                op,
                layout.inChannels(),
                layout.outChannels(),
                IntPair.of(w[2], w[3]),
                pair(arguments, "--stride", "1"),
                arguments.get("--padding", "0"),
                pair(arguments, "--dilation", "1"),
                groups,
                bias != null,
                pair(arguments, "--output-padding", "0"),
                arguments.get("--padding-mode", "zeros"),
                sizes(arguments));
        Tensor result;
        try (ConvModule<?, ?> module = call.build()) {
            Supplier<Tensor> forward;
            try {
                forward = call.prepare(module, input, weight, bias);
            } catch (IllegalArgumentException e) {
                throw layout.explain(e, input, bias);
            }
            // Chosen only now, so bad input is reported before any device is opened or logged about.
            device = Device.select(deviceSelection);
            module.to(device);
            result = forward.get();
        }
        Npy.write(output, result);
        out.println("wrote " + output + " " + Shapes.format(result.shape()) + " (" + op.torchName + " on " + device.id()
                + ")");
        return 0;
    }

    private static IntPair pair(Arguments arguments, String name, String fallback) {
        return IntPair.parse(name.substring(2), arguments.get(name, fallback));
    }

    private static int[] sizes(Arguments arguments) {
        if (!arguments.has("--output-size")) {
            return null;
        }
        IntPair size = IntPair.parse("output-size", arguments.get("--output-size", null));
        return new int[] {size.height(), size.width()};
    }
}
