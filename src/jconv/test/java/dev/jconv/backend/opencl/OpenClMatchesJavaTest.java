package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.Comparison;
import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Padding;
import dev.jconv.RandomCalls;
import dev.jconv.Tensor;
import dev.jconv.TestDevices;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The OpenCL kernels against the Java reference backend on many random calls, and run-to-run determinism. One module
 * serves both backends: a host input runs on Java, the same input moved to the device runs there, same weights.
 */
class OpenClMatchesJavaTest {

    private static final double TOLERANCE = 1e-4;
    private static final int CASES_PER_OP = 40;

    @TestFactory
    Stream<DynamicTest> conv2dMatchesJava() {
        RandomCalls cases = new RandomCalls(2024);
        return IntStream.range(0, CASES_PER_OP).mapToObj(index -> {
            RandomCalls.Conv2dCase call = cases.conv2d();
            return DynamicTest.dynamicTest(
                    call.config() + " on " + java.util.Arrays.toString(call.inputShape()), () -> {
                        Device device = TestDevices.openClOrSkip();
                        try (Conv2d module = new Conv2d(call.config(), Device.java())) {
                            checkBothBackends(
                                    device,
                                    call.inputShape(),
                                    index,
                                    module::forward,
                                    module.geometry(call.inputShape()).describe());
                        }
                    });
        });
    }

    @TestFactory
    Stream<DynamicTest> convTranspose2dMatchesJava() {
        RandomCalls cases = new RandomCalls(4048);
        return IntStream.range(0, CASES_PER_OP).mapToObj(index -> {
            RandomCalls.ConvTranspose2dCase call = cases.convTranspose2d();
            String name = call.config() + " on " + java.util.Arrays.toString(call.inputShape())
                    + (call.outputSize() == null ? "" : " output_size " + call.outputSize());
            return DynamicTest.dynamicTest(name, () -> {
                Device device = TestDevices.openClOrSkip();
                try (ConvTranspose2d module = new ConvTranspose2d(call.config(), Device.java())) {
                    checkBothBackends(
                            device,
                            call.inputShape(),
                            index,
                            input -> module.forward(input, call.outputSize()),
                            module.geometry(call.inputShape(), call.outputSize())
                                    .describe());
                }
            });
        });
    }

    /** Shapes from the benchmark workload, where the vector fast paths and tiles of the kernels are exercised. */
    @Test
    void workloadShapesMatchJava() {
        Device device = TestDevices.openClOrSkip();
        try (Conv2d strided = Conv2d.builder(3, 16, 7)
                        .stride(2)
                        .padding(3)
                        .device(Device.java())
                        .build();
                Conv2d pointwise =
                        Conv2d.builder(32, 24, 1).device(Device.java()).build();
                Conv2d depthwise = Conv2d.builder(16, 16, 3)
                        .padding(1)
                        .groups(16)
                        .device(Device.java())
                        .build();
                Conv2d dilated = Conv2d.builder(8, 16, 3)
                        .padding(2)
                        .dilation(2)
                        .device(Device.java())
                        .build();
                ConvTranspose2d seed = ConvTranspose2d.builder(32, 16, 4)
                        .stride(2)
                        .padding(1)
                        .device(Device.java())
                        .build();
                ConvTranspose2d unet = ConvTranspose2d.builder(16, 8, 2)
                        .stride(2)
                        .device(Device.java())
                        .build();
                ConvTranspose2d outputPadded = ConvTranspose2d.builder(8, 8, 3)
                        .stride(2)
                        .padding(1)
                        .outputPadding(1)
                        .device(Device.java())
                        .build()) {
            checkBothBackends(device, new int[] {1, 3, 64, 64}, 1, strided::forward, "strided 7x7");
            checkBothBackends(device, new int[] {2, 32, 28, 28}, 2, pointwise::forward, "pointwise 1x1");
            checkBothBackends(device, new int[] {1, 16, 56, 56}, 3, depthwise::forward, "depthwise 3x3");
            checkBothBackends(device, new int[] {1, 8, 56, 56}, 4, dilated::forward, "dilated 3x3");
            checkBothBackends(device, new int[] {2, 32, 16, 16}, 5, seed::forward, "seed transposed");
            checkBothBackends(device, new int[] {1, 16, 28, 28}, 6, unet::forward, "unet 2x2 up");
            checkBothBackends(device, new int[] {1, 8, 28, 28}, 7, outputPadded::forward, "output_padding 1");
        }
    }

    /** The depthwise kernel across strides, dilations, a row not a multiple of the vector, batch and no bias. */
    @Test
    void depthwiseVariantsMatchJava() {
        Device device = TestDevices.openClOrSkip();
        try (Conv2d strided = Conv2d.builder(12, 12, 3)
                        .stride(2)
                        .padding(1)
                        .groups(12)
                        .device(Device.java())
                        .build();
                Conv2d dilated = Conv2d.builder(8, 8, 5)
                        .padding(4)
                        .dilation(2)
                        .groups(8)
                        .bias(false)
                        .device(Device.java())
                        .build();
                Conv2d wide = Conv2d.builder(6, 6, 3)
                        .padding(1)
                        .groups(6)
                        .device(Device.java())
                        .build()) {
            checkBothBackends(device, new int[] {2, 12, 29, 37}, 8, strided::forward, "depthwise stride 2");
            checkBothBackends(device, new int[] {1, 8, 23, 41}, 9, dilated::forward, "depthwise dilated, no bias");
            checkBothBackends(device, new int[] {3, 6, 70, 19}, 10, wide::forward, "depthwise 70x19");
        }
    }

    /**
     * conv2d_pointwise (1x1 over at least 384 pixels): a pixel count not a multiple of its 48-pixel items, batch,
     * groups, no bias, and output channels not a multiple of its channel tile.
     */
    @Test
    void pointwiseVariantsMatchJava() {
        Device device = TestDevices.openClOrSkip();
        try (Conv2d grouped = Conv2d.builder(24, 20, 1)
                        .groups(2)
                        .bias(false)
                        .device(Device.java())
                        .build();
                Conv2d oddChannels =
                        Conv2d.builder(40, 12, 1).device(Device.java()).build()) {
            checkBothBackends(device, new int[] {3, 24, 23, 29}, 40, grouped::forward, "pointwise groups 2");
            checkBothBackends(device, new int[] {1, 40, 20, 20}, 41, oddChannels::forward, "pointwise 12 out");
        }
    }

    /** Output rows of at most 8 pixels, where one vector holds two rows: even and odd heights, strides 1 and 2. */
    @Test
    void rowPairsMatchJava() {
        Device device = TestDevices.openClOrSkip();
        try (Conv2d seed = Conv2d.builder(32, 16, 4)
                        .stride(2)
                        .padding(1)
                        .device(Device.java())
                        .build();
                Conv2d small = Conv2d.builder(5, 6, 3)
                        .padding(1)
                        .bias(false)
                        .device(Device.java())
                        .build();
                Conv2d dilated = Conv2d.builder(4, 8, 3)
                        .stride(2)
                        .padding(2)
                        .dilation(2)
                        .device(Device.java())
                        .build()) {
            checkBothBackends(device, new int[] {2, 32, 16, 16}, 11, seed::forward, "seed conv");
            checkBothBackends(device, new int[] {1, 32, 14, 10}, 12, seed::forward, "seed conv 7x5 output");
            checkBothBackends(device, new int[] {3, 5, 7, 7}, 13, small::forward, "7x7, no bias");
            checkBothBackends(device, new int[] {1, 4, 9, 15}, 14, dilated::forward, "dilated stride 2, 5x8");
        }
    }

    @Test
    void twoRunsAreBitwiseEqual() {
        Device device = TestDevices.openClOrSkip();
        try (Conv2d conv = Conv2d.builder(64, 32, 3)
                        .padding(Padding.SAME)
                        .device(Device.java())
                        .build();
                ConvTranspose2d transposed = ConvTranspose2d.builder(64, 32, 4)
                        .stride(2)
                        .padding(1)
                        .device(Device.java())
                        .build();
                Tensor input = Comparison.randomTensor(11, 2, 64, 20, 20).to(device)) {
            for (java.util.function.Function<Tensor, Tensor> forward :
                    java.util.List.<java.util.function.Function<Tensor, Tensor>>of(
                            conv::forward, transposed::forward)) {
                float[] first = forward.apply(input).toArray();
                float[] second = forward.apply(input).toArray();
                assertArrayEquals(first, second, 0f, "two runs of the same op differ");
                assertEquals(floatBits(first), floatBits(second));
            }
        }
    }

    private static long floatBits(float[] values) {
        long hash = 1;
        for (float value : values) {
            hash = 31 * hash + Float.floatToRawIntBits(value);
        }
        return hash;
    }

    private static void checkBothBackends(
            Device device,
            int[] inputShape,
            long seed,
            java.util.function.Function<Tensor, Tensor> forward,
            String what) {
        Tensor input = Comparison.randomTensor(seed, inputShape);
        Tensor expected = forward.apply(input);
        try (Tensor onDevice = input.to(device);
                Tensor result = forward.apply(onDevice)) {
            Comparison.assertClose(expected, result.cpu(), TOLERANCE, what + " on " + device.id());
        }
    }
}
