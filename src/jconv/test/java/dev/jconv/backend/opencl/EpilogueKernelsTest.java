package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jconv.Activation;
import dev.jconv.ActivationLayer;
import dev.jconv.BatchNorm2d;
import dev.jconv.Comparison;
import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Tensor;
import dev.jconv.TestDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fused epilogue in every OpenCL kernel variant, forced: each activation after a Conv2d and a ConvTranspose2d
 * under the direct and the GEMM family, and one activation through each direct sub-kernel (depthwise, 1x1, row pairs,
 * the transposed kernels). Each result must match the Java backend's fused result within 1e-4, the same op run
 * unfused (convolution, then a standalone activation kernel) within 1e-5, and itself bitwise on a second run.
 */
class EpilogueKernelsTest {

    private static final double TOLERANCE = 1e-4;
    private static final double FUSED_TOLERANCE = 1e-5;
    private static final List<Activation> ALL = List.of(
            Activation.RELU,
            Activation.leakyRelu(0.2f),
            Activation.RELU6,
            Activation.SIGMOID,
            Activation.TANH,
            Activation.SILU,
            Activation.GELU,
            Activation.GELU_TANH,
            Activation.HARDSWISH);
    private static final KernelChoice GEMM = KernelChoice.gemm(new GemmParameters(16, 16, 8, 8, 4, true, true));

    /** A convolution with a fused activation, from its activation: the module and its input shape. */
    private record Shape(String name, Function<Activation, ConvModule<?, ?>> module, int[] inputShape) {}

    private static final Shape CONV = new Shape(
            "conv 3x3", a -> Conv2d.builder(8, 12, 3).padding(1).activation(a).build(), new int[] {2, 8, 11, 13});
    private static final Shape TRANSPOSED = new Shape(
            "convT k4 s2 p1",
            a -> ConvTranspose2d.builder(8, 6, 4)
                    .stride(2)
                    .padding(1)
                    .activation(a)
                    .build(),
            new int[] {2, 8, 7, 9});
    private static final List<Shape> SUB_KERNELS = List.of(
            new Shape(
                    "depthwise 3x3",
                    a -> Conv2d.builder(16, 16, 3)
                            .padding(1)
                            .groups(16)
                            .activation(a)
                            .build(),
                    new int[] {1, 16, 20, 20}),
            new Shape(
                    "pointwise 1x1",
                    a -> Conv2d.builder(32, 24, 1).activation(a).build(),
                    new int[] {2, 32, 9, 11}),
            new Shape(
                    "narrow rows",
                    a -> Conv2d.builder(16, 16, 3).padding(1).activation(a).build(),
                    new int[] {1, 16, 6, 4}),
            new Shape(
                    "reflect padding",
                    a -> Conv2d.builder(4, 8, 3)
                            .padding(2)
                            .paddingMode("reflect")
                            .activation(a)
                            .build(),
                    new int[] {1, 4, 9, 9}),
            new Shape(
                    "convT stride 3 over 2x2",
                    a -> ConvTranspose2d.builder(4, 6, 2)
                            .stride(3)
                            .dilation(2)
                            .padding(1)
                            .outputPadding(2)
                            .activation(a)
                            .build(),
                    new int[] {2, 4, 5, 6}),
            new Shape(
                    "convT k2 s2",
                    a -> ConvTranspose2d.builder(16, 8, 2)
                            .stride(2)
                            .activation(a)
                            .build(),
                    new int[] {1, 16, 11, 13}));

    @TestFactory
    Stream<DynamicTest> everyActivationInBothFamilies() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Activation activation : ALL) {
            for (Shape shape : List.of(CONV, TRANSPOSED)) {
                tests.add(test(shape, activation, null));
                tests.add(test(shape, activation, GEMM));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> eachDirectSubKernelWithAnEpilogue() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Shape shape : SUB_KERNELS) {
            tests.add(test(shape, Activation.leakyRelu(-0.7f), null));
            tests.add(test(shape, Activation.GELU, GEMM));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> standaloneElementwiseKernelMatchesJava() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Activation activation : ALL) {
            tests.add(DynamicTest.dynamicTest("BatchNorm2d then " + activation, () -> {
                Device device = TestDevices.openClOrSkip();
                try (BatchNorm2d batchNorm = randomBatchNorm(5, activation)) {
                    Tensor input = Comparison.randomTensor(3, 2, 5, 7, 9);
                    Tensor expected = batchNorm.to(Device.java()).forward(input);
                    assertBitwiseRepeatable(device, batchNorm::forward, input, expected, "BatchNorm2d " + activation);
                }
            }));
            tests.add(DynamicTest.dynamicTest(activation + " alone on a 3-D tensor", () -> {
                Device device = TestDevices.openClOrSkip();
                try (ActivationLayer layer = new ActivationLayer(activation)) {
                    Tensor input = Comparison.randomTensor(4, 3, 17, 5);
                    Tensor expected = layer.to(Device.java()).forward(input);
                    assertBitwiseRepeatable(device, layer::forward, input, expected, activation + " alone");
                }
            }));
        }
        return tests.stream();
    }

    static BatchNorm2d randomBatchNorm(int channels, Activation activation) {
        BatchNorm2d batchNorm = new BatchNorm2d(channels, 1e-3, true, activation);
        batchNorm.setWeight(Comparison.randomTensor(11, channels));
        batchNorm.setBias(Comparison.randomTensor(12, channels));
        batchNorm.setRunningMean(Comparison.randomTensor(13, channels));
        float[] variance = Comparison.randomTensor(14, channels).toArray();
        for (int i = 0; i < channels; i++) {
            variance[i] = 0.5f + Math.abs(variance[i]);
        }
        batchNorm.setRunningVar(Tensor.of(variance, channels));
        return batchNorm;
    }

    private static DynamicTest test(Shape shape, Activation activation, KernelChoice forced) {
        String name = shape.name() + " then " + activation + (forced == null ? " (direct)" : " (" + forced + ")");
        return DynamicTest.dynamicTest(name, () -> {
            Device device = TestDevices.openClOrSkip();
            KernelChoice choice = forced != null
                    ? forced
                    : KernelChoice.direct(DirectParameters.of(((OpenClBackend) device.backend()).tuning()));
            try (ConvModule<?, ?> plain = shape.module().apply(Activation.NONE).to(Device.java());
                    ConvModule<?, ?> fused = plain.fuse(null, activation);
                    ActivationLayer alone = new ActivationLayer(activation)) {
                Tensor input = Comparison.randomTensor(5, shape.inputShape());
                Tensor expected = fused.forward(input);
                float[] fusedRun = assertBitwiseRepeatable(
                        device,
                        x -> {
                            float[][] result = new float[1][];
                            KernelSelector.withCandidate(choice, () -> {
                                try (Tensor y = fused.forward(x)) {
                                    result[0] = y.toArray();
                                }
                            });
                            return Tensor.of(result[0], expected.shape());
                        },
                        input,
                        expected,
                        name);
                float[][] unfused = new float[1][];
                try (Tensor onDevice = input.to(device)) {
                    KernelSelector.withCandidate(choice, () -> {
                        try (Tensor convolved = plain.forward(onDevice);
                                Tensor activated = alone.forward(convolved)) {
                            unfused[0] = activated.toArray();
                        }
                    });
                }
                Comparison.assertClose(unfused[0], fusedRun, FUSED_TOLERANCE, name + ": fused against unfused");
            }
        });
    }

    /** Runs {@code forward} twice on the device: both runs within tolerance of {@code expected}, and bitwise equal. */
    private static float[] assertBitwiseRepeatable(
            Device device, Function<Tensor, Tensor> forward, Tensor input, Tensor expected, String what) {
        float[][] runs = new float[2][];
        try (Tensor onDevice = input.to(device)) {
            for (int run = 0; run < 2; run++) {
                try (Tensor result = forward.apply(onDevice)) {
                    runs[run] = result.toArray();
                }
            }
        }
        Comparison.assertClose(expected.toArray(), runs[0], TOLERANCE, what + " on OpenCL against Java");
        assertArrayEquals(runs[0], runs[1], 0f, what + ": two runs differ");
        return runs[0];
    }
}
