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
 * 1)} on a 1x128x16x16 input, on the best device, with the input uploaded once and kept there. Each result on an
 * OpenCL device is checked against the same layer on the Java backend, so the example also shows the device computes
 * what the reference does; on the Java backend it says there is nothing to compare with.
 */
final class ExampleCommand {

    private static final int TIMED_CALLS = 20;
    /** Enough calls for the JIT to compile the Java kernels and for OpenCL to build and cache its programs. */
    private static final int WARM_UP_CALLS = 10;

    private ExampleCommand() {}

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
                Tensor xOnDevice = x.to(device)) {
            boolean compare = !device.isJava();
            report(
                    out,
                    conv.toString(),
                    xOnDevice,
                    conv::forward,
                    compare ? onJava(conv, new Conv2d(conv.config(), Device.java()), x) : null);
            report(
                    out,
                    convTranspose.toString(),
                    xOnDevice,
                    convTranspose::forward,
                    compare
                            ? onJava(convTranspose, new ConvTranspose2d(convTranspose.config(), Device.java()), x)
                            : null);
        }
        return 0;
    }

    /**
     * The Java backend's output for the same layer, to check the device against. On the Java backend itself there is
     * nothing independent to compare with (the Vector API and portable kernels are built to give the same bits, so
     * comparing them would only repeat MicroKernelsAgreeTest), and the example says so instead.
     */
    private static Tensor onJava(ConvModule<?, ?> layer, ConvModule<?, ?> sameLayerOnJava, Tensor x) {
        try (sameLayerOnJava) {
            copyParameters(layer, sameLayerOnJava);
            return sameLayerOnJava.forward(x);
        }
    }

    private static void copyParameters(ConvModule<?, ?> from, ConvModule<?, ?> to) {
        to.setWeight(from.weight());
        to.setBias(from.bias());
    }

    /**
     * Times the layer on the device-resident input, then compares one result with the Java backend's.
     *
     * @param expected the Java backend's output, or null when the layer runs on the Java backend
     */
    private static void report(
            PrintStream out, String name, Tensor xOnDevice, UnaryOperator<Tensor> layer, Tensor expected) {
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            layer.apply(xOnDevice).close();
        }
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
        if (expected == null) {
            out.printf(
                    "%s: %s -> %s, %.3f ms per call (java is the reference backend; no second device to compare"
                            + " with)%n",
                    name, Arrays.toString(xOnDevice.shape()), Arrays.toString(shape), millis);
            return;
        }
        float[] wanted = expected.toArray();
        double worst = 0;
        for (int i = 0; i < wanted.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - wanted[i]));
        }
        out.printf(
                "%s: %s -> %s, %.3f ms per call on device-resident tensors, max |diff| vs java backend %.2e%n",
                name, Arrays.toString(xOnDevice.shape()), Arrays.toString(shape), millis, worst);
        if (worst > 1e-4) {
            throw new IllegalStateException(
                    name + " on " + xOnDevice.device().id() + " differs from the Java backend by " + worst);
        }
    }
}
