package dev.jconv.cli;

import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Devices;
import dev.jconv.Tensor;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * {@code jconv example}: the seed example. {@code Conv2d(128, 64, 4, 2, 1)} and {@code ConvTranspose2d(128, 64, 4, 2,
 * 1)} on a 1x128x16x16 input, on the best device, with the input uploaded once and kept there. Each result is checked
 * against the same layer on the Java backend, so the example also shows the device computes what the reference does.
 */
final class ExampleCommand {

    private static final int TIMED_CALLS = 20;

    private ExampleCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        Arguments arguments = Arguments.parse("example", args, Set.of("--device"), Set.of());
        String selection = arguments.get("--device", Devices.configuredSelection());
        Devices.checkSelection(selection);
        Device device = Device.select(selection);
        out.println("device: " + device);
        float[] values = new float[128 * 16 * 16];
        SplittableRandom random = new SplittableRandom(0);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        Tensor x = Tensor.of(values, 1, 128, 16, 16);
        try (Conv2d conv = new Conv2d(128, 64, 4, 2, 1).to(device);
             ConvTranspose2d convTranspose = new ConvTranspose2d(128, 64, 4, 2, 1).to(device);
             Conv2d convOnJava = new Conv2d(conv.config(), Device.java());
             ConvTranspose2d convTransposeOnJava = new ConvTranspose2d(convTranspose.config(), Device.java());
             Tensor xOnDevice = x.to(device)) {
            copyParameters(conv, convOnJava);
            copyParameters(convTranspose, convTransposeOnJava);
            report(out, conv.toString(), xOnDevice, conv::forward, convOnJava.forward(x));
            report(out, convTranspose.toString(), xOnDevice, convTranspose::forward, convTransposeOnJava.forward(x));
        }
        return 0;
    }

    private static void copyParameters(ConvModule from, ConvModule to) {
        to.setWeight(from.weight());
        to.setBias(from.bias());
    }

    /** Times the layer on the device-resident input, then compares one result with the Java backend's. */
    private static void report(PrintStream out, String name, Tensor xOnDevice, UnaryOperator<Tensor> layer,
                               Tensor expected) {
        layer.apply(xOnDevice).close(); // warm-up: kernel build and parameter upload
        xOnDevice.device().synchronize();
        long start = System.nanoTime();
        for (int i = 0; i < TIMED_CALLS; i++) {
            layer.apply(xOnDevice).close();
        }
        xOnDevice.device().synchronize();
        double millis = (System.nanoTime() - start) / 1e6 / TIMED_CALLS;
        float[] actual;
        int[] shape;
        try (Tensor y = layer.apply(xOnDevice)) {
            actual = y.toArray();
            shape = y.shape();
        }
        float[] wanted = expected.toArray();
        double worst = 0;
        for (int i = 0; i < wanted.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - wanted[i]));
        }
        out.printf("%s: %s -> %s, %.3f ms per call on device-resident tensors, max |diff| vs java backend %.2e%n",
                name, Arrays.toString(xOnDevice.shape()), Arrays.toString(shape), millis, worst);
        if (worst > 1e-4) {
            throw new IllegalStateException(name + " on " + xOnDevice.device().id()
                    + " differs from the Java backend by " + worst);
        }
    }
}
