package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Activation;
import dev.jconv.Comparison;
import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.DeviceType;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.RandomCalls;
import dev.jconv.Tensor;
import dev.jconv.TestDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Both kernel families under random parameter sets (GEMM: tiles that do not divide the problem, local memory on and
 * off, one-row and one-column work-groups; direct: every channel tile, vector width and work-group width) on random
 * calls of both ops, each against the Java backend and bitwise equal to itself run to run.
 * {@code -Djconv.test.parameterSets=N} runs N sets of each family instead of the CI's number.
 */
class KernelParametersTest {

    private static final double TOLERANCE = 1e-4;
    private static final int PARAMETER_SETS = Integer.getInteger("jconv.test.parameterSets", 16);

    @TestFactory
    Stream<DynamicTest> randomGemmParametersMatchJava() {
        SplittableRandom random = new SplittableRandom(77);
        return randomCalls(78, () -> KernelChoice.gemm(validRandom(random)));
    }

    @TestFactory
    Stream<DynamicTest> randomDirectParametersMatchJava() {
        SplittableRandom random = new SplittableRandom(79);
        return randomCalls(80, () -> KernelChoice.direct(DirectParameters.SPACE.random(random)));
    }

    /** One test per drawn choice: a random Conv2d call and a random ConvTranspose2d call under it. */
    private static Stream<DynamicTest> randomCalls(long callSeed, java.util.function.Supplier<KernelChoice> draw) {
        RandomCalls calls = new RandomCalls(callSeed);
        List<DynamicTest> tests = new ArrayList<>();
        for (int index = 0; index < PARAMETER_SETS; index++) {
            KernelChoice choice = draw.get();
            RandomCalls.Conv2dCase conv = calls.conv2d();
            RandomCalls.ConvTranspose2dCase transposed = calls.convTranspose2d();
            long seed = index;
            tests.add(DynamicTest.dynamicTest(choice.toString(), () -> {
                Device device = TestDevices.openClOrSkip();
                String problem = problemOn(device, choice);
                org.junit.jupiter.api.Assumptions.assumeTrue(problem == null, problem);
                try (Conv2d module = new Conv2d(conv.config(), Device.java())) {
                    check(
                            device,
                            choice,
                            conv.inputShape(),
                            seed,
                            module::forward,
                            module.geometry(conv.inputShape()).describe());
                }
                try (ConvTranspose2d module = new ConvTranspose2d(transposed.config(), Device.java())) {
                    check(
                            device,
                            choice,
                            transposed.inputShape(),
                            seed,
                            input -> module.forward(input, transposed.outputSize()),
                            module.geometry(transposed.inputShape(), transposed.outputSize())
                                    .describe());
                }
            }));
        }
        return tests.stream();
    }

    /** Why {@code device} cannot run {@code choice} (work-group size, local memory), or null when it can. */
    private static String problemOn(Device device, KernelChoice choice) {
        return choice.problemFor(((OpenClBackend) device.backend()).selector().limits());
    }

    /** A random set that any device with 256-item work-groups and 16 KiB of local memory can run. */
    private static GemmParameters validRandom(SplittableRandom random) {
        GemmParameters parameters = GemmParameters.SPACE.random(random);
        while (parameters.problemFor(256, 16384) != null) {
            parameters = GemmParameters.SPACE.random(random);
        }
        return parameters;
    }

    /** Shapes of the workload (depthwise, 1x1, strided 7x7, transposed k4 s2, 2x2 up) under the device's defaults. */
    @Test
    void workloadShapesMatchJavaWithDefaultParameters() {
        Device device = TestDevices.openClOrSkip();
        KernelChoice choice = KernelChoice.gemm(KernelDefaults.gemmFor(device.info()));
        try (Conv2d depthwise = Conv2d.builder(16, 16, 3)
                        .padding(1)
                        .groups(16)
                        .device(Device.java())
                        .build();
                Conv2d pointwise =
                        Conv2d.builder(32, 24, 1).device(Device.java()).build();
                Conv2d strided = Conv2d.builder(3, 16, 7)
                        .stride(2)
                        .padding(3)
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
                        .build()) {
            check(device, choice, new int[] {1, 16, 30, 30}, 1, depthwise::forward, "depthwise 3x3");
            check(device, choice, new int[] {2, 32, 17, 19}, 2, pointwise::forward, "pointwise 1x1");
            check(device, choice, new int[] {1, 3, 45, 45}, 3, strided::forward, "strided 7x7");
            check(device, choice, new int[] {2, 32, 9, 9}, 4, seed::forward, "seed transposed");
            check(device, choice, new int[] {1, 16, 11, 13}, 5, unet::forward, "2x2 up");
        }
    }

    /**
     * Kernel as large as the stride and no padding: the flat transposed kernel's one-tap path, whose last vector of a
     * phase reads past the plane (odd sizes, so it is partial), under every drawn direct parameter set, with groups,
     * a non-square kernel, a batch, a 1x1 kernel at stride 1, and an output_padding row that no input reaches (on a
     * wide input, so a vector wholly past the plane would read past the buffer's guard).
     */
    @Test
    void kernelAsLargeAsTheStrideMatchesJavaUnderRandomDirectParameters() {
        Device device = TestDevices.openClOrSkip();
        SplittableRandom random = new SplittableRandom(81);
        try (ConvTranspose2d square = ConvTranspose2d.builder(12, 10, 2)
                        .stride(2)
                        .device(Device.java())
                        .build();
                ConvTranspose2d grouped = ConvTranspose2d.builder(6, 9, 2)
                        .kernelSize(2, 3)
                        .stride(2, 3)
                        .groups(3)
                        .device(Device.java())
                        .build();
                ConvTranspose2d pointwise = ConvTranspose2d.builder(5, 7, 1)
                        .bias(false)
                        .device(Device.java())
                        .build();
                ConvTranspose2d outputPadded = ConvTranspose2d.builder(4, 6, 2)
                        .stride(2)
                        .outputPadding(1, 0)
                        .device(Device.java())
                        .build()) {
            for (int set = 0; set < PARAMETER_SETS; set++) {
                KernelChoice choice = KernelChoice.direct(DirectParameters.SPACE.random(random));
                if (problemOn(device, choice) != null) {
                    continue;
                }
                check(device, choice, new int[] {3, 12, 7, 9}, set, square::forward, "2x2 stride 2");
                check(device, choice, new int[] {2, 6, 5, 3}, set, grouped::forward, "2x3 stride 2x3, groups 3");
                check(device, choice, new int[] {1, 5, 11, 13}, set, pointwise::forward, "1x1 stride 1");
                check(device, choice, new int[] {2, 4, 3, 81}, set, outputPadded::forward, "output_padding 1x0");
            }
        }
    }

    /**
     * Several vectors per work-item (JV 2 to 4): conv2d_joint_rows with output heights that leave rows past the end
     * of a block, dilation with groups and no bias, asymmetric 'same' padding; conv_transpose2d_flat's general path
     * on planes that are not a multiple of JV vectors, and its one-tap path with an output_padding row; both paths on
     * planes of one vector, where the vectors are consecutive images and the last group of images is short.
     */
    @Test
    void jointVectorsMatchJava() {
        Device device = TestDevices.openClOrSkip();
        try (Conv2d plain = Conv2d.builder(16, 8, 3)
                        .padding(1)
                        .device(Device.java())
                        .build();
                Conv2d dilated = Conv2d.builder(32, 12, 3)
                        .padding(2)
                        .dilation(2)
                        .groups(2)
                        .bias(false)
                        .device(Device.java())
                        .build();
                Conv2d same = Conv2d.builder(16, 6, IntPair.of(2, 3))
                        .padding(Padding.SAME)
                        .device(Device.java())
                        .build();
                ConvTranspose2d seed = ConvTranspose2d.builder(32, 16, 4)
                        .stride(2)
                        .padding(1)
                        .device(Device.java())
                        .build();
                ConvTranspose2d up = ConvTranspose2d.builder(16, 8, 2)
                        .stride(2)
                        .outputPadding(1, 0)
                        .device(Device.java())
                        .build()) {
            for (int jointVectors = 2; jointVectors <= 4; jointVectors++) {
                for (int vectorWidth : new int[] {4, 16}) {
                    KernelChoice choice =
                            KernelChoice.direct(new DirectParameters(16, 8, vectorWidth, 4, 256, jointVectors, 0, 4));
                    check(device, choice, new int[] {1, 16, 9, 13}, 20, plain::forward, "3x3, 9 rows");
                    check(device, choice, new int[] {2, 32, 7, 20}, 21, dilated::forward, "dilated, groups 2");
                    check(device, choice, new int[] {1, 16, 11, 9}, 22, same::forward, "2x3 'same'");
                    check(device, choice, new int[] {2, 32, 5, 5}, 23, seed::forward, "transposed 4x4 s2");
                    check(device, choice, new int[] {1, 16, 9, 7}, 24, up::forward, "2x2 up, output_padding");
                    // Phase planes of one vector (4x4 and 2x2 inputs): the vectors run over 5 and 3 images.
                    check(device, choice, new int[] {5, 32, 4, 4}, 25, seed::forward, "transposed, 5 images");
                    check(device, choice, new int[] {3, 16, 2, 2}, 26, up::forward, "2x2 up, 3 images");
                }
            }
        }
    }

    /**
     * conv2d_channel_vectors (output channels in the lanes) against the Java backend, and it must be the kernel that
     * ran: CV 1, 2 and 4 vectors of 4 and 16 lanes, 3, 4 and 8 pixels per work-item, on rows that are and are not a
     * multiple of them, with zero padding on both sides (the masked path) and without (1x1, viewed as one row),
     * stride 2, dilation with groups, an asymmetric 'same' kernel, no bias and a fused activation. The weights are
     * re-laid once per layer; after setWeight the new weights must be used, not the old copy.
     */
    @Test
    void channelVectorsMatchJava() {
        Device device = TestDevices.openClOrSkip();
        Tuning cpu = Tuning.forType(DeviceType.CPU);
        try (Conv2d plain = Conv2d.builder(8, 64, 3)
                        .padding(1)
                        .device(Device.java())
                        .build();
                Conv2d strided = Conv2d.builder(3, 64, 5)
                        .stride(2)
                        .padding(2)
                        .activation(Activation.RELU)
                        .device(Device.java())
                        .build();
                Conv2d dilated = Conv2d.builder(16, 128, 3)
                        .padding(2)
                        .dilation(2)
                        .groups(2)
                        .bias(false)
                        .device(Device.java())
                        .build();
                Conv2d same = Conv2d.builder(6, 64, IntPair.of(2, 3))
                        .padding(Padding.SAME)
                        .device(Device.java())
                        .build();
                Conv2d pointwise =
                        Conv2d.builder(24, 64, 1).device(Device.java()).build()) {
            // Each CV with each vector width once, each PX twice (every program build costs about a second).
            int[][] sets = {{1, 16, 3}, {2, 16, 8}, {4, 16, 4}, {1, 4, 4}, {2, 4, 3}, {4, 4, 8}};
            for (int[] set : sets) {
                KernelChoice choice =
                        KernelChoice.direct(new DirectParameters(16, 8, set[1], 2, 256, 1, set[0], set[2]));
                checkChannelVectors(device, choice, cpu, plain, new int[] {2, 8, 7, 13}, 30, "3x3");
                checkChannelVectors(device, choice, cpu, strided, new int[] {1, 3, 11, 17}, 31, "5x5 s2");
                checkChannelVectors(device, choice, cpu, dilated, new int[] {1, 16, 9, 10}, 32, "dilated");
                checkChannelVectors(device, choice, cpu, same, new int[] {1, 6, 5, 19}, 33, "2x3 same");
                checkChannelVectors(device, choice, cpu, pointwise, new int[] {1, 24, 5, 7}, 34, "1x1");
            }
            // New weights are new buffers: the copy made from the old ones must not be used.
            KernelChoice choice = KernelChoice.direct(new DirectParameters(16, 8, 16, 2, 256, 1, 4, 4));
            plain.to(device);
            Tensor input = Comparison.randomTensor(35, 2, 8, 7, 13);
            try (Tensor onDevice = input.to(device)) {
                KernelSelector.withCandidate(
                        choice, () -> plain.forward(onDevice).close());
                plain.setWeight(Comparison.randomTensor(36, 64, 8, 3, 3));
                plain.to(Device.java());
                Tensor expected = plain.forward(input);
                plain.to(device);
                KernelSelector.withCandidate(choice, () -> {
                    try (Tensor result = plain.forward(onDevice)) {
                        Comparison.assertClose(expected.toArray(), result.toArray(), TOLERANCE, "after setWeight");
                    }
                });
            }
        }
    }

    /**
     * conv_transpose2d_channel_vectors (output channels in the lanes, each output row staged in local memory) against
     * the Java backend, and it must be the kernel that ran: CV 1, 2 and 4 vectors of 4 and 16 lanes, 2 to 8 pixels per
     * work-item, on the seed's 4x4 stride-2 layer with rows that are not a multiple of the pixels (masked loads, blocks
     * past a phase row's end, and phase rows past the output's end), a stride-3 layer with dilation and
     * output_padding whose middle phases no tap reaches (the bias alone), groups with no bias and a fused ReLU, a
     * 2x3 kernel at stride 1x2, a batch, and a 1x1 layer on a large plane (channel tiles the inner NDRange dimension).
     * A row whose staged outputs exceed local memory keeps the pixel-vector kernels.
     */
    @Test
    void transposedChannelVectorsMatchJava() {
        Device device = TestDevices.openClOrSkip();
        Tuning cpu = Tuning.forType(DeviceType.CPU);
        try (ConvTranspose2d seed = ConvTranspose2d.builder(8, 64, 4)
                        .stride(2)
                        .padding(1)
                        .device(Device.java())
                        .build();
                ConvTranspose2d sparse = ConvTranspose2d.builder(6, 64, 2)
                        .stride(3)
                        .dilation(2)
                        .padding(1)
                        .outputPadding(2)
                        .device(Device.java())
                        .build();
                ConvTranspose2d grouped = ConvTranspose2d.builder(16, 128, 3)
                        .stride(2)
                        .padding(1)
                        .outputPadding(1)
                        .groups(2)
                        .bias(false)
                        .activation(Activation.RELU)
                        .device(Device.java())
                        .build();
                ConvTranspose2d asymmetric = ConvTranspose2d.builder(4, 64, IntPair.of(2, 3))
                        .stride(1, 2)
                        .padding(0, 1)
                        .device(Device.java())
                        .build();
                ConvTranspose2d pointwise =
                        ConvTranspose2d.builder(2, 64, 1).device(Device.java()).build()) {
            int[][] sets = {{1, 16, 3}, {2, 16, 8}, {4, 16, 4}, {1, 4, 4}, {2, 4, 2}, {4, 4, 5}};
            for (int[] set : sets) {
                KernelChoice choice =
                        KernelChoice.direct(new DirectParameters(16, 8, set[1], 2, 256, 1, set[0], set[2]));
                checkChannelVectors(device, choice, cpu, seed, new int[] {2, 8, 5, 7}, 40, "4x4 s2");
                checkChannelVectors(device, choice, cpu, sparse, new int[] {1, 6, 4, 5}, 41, "2x2 s3, dilated");
                checkChannelVectors(device, choice, cpu, grouped, new int[] {1, 16, 6, 5}, 42, "groups 2, ReLU");
                checkChannelVectors(device, choice, cpu, asymmetric, new int[] {1, 4, 5, 9}, 43, "2x3 s1x2");
                checkChannelVectors(device, choice, cpu, pointwise, new int[] {1, 2, 15, 17}, 44, "1x1");
            }
            assertTrue(!TileChoice.tilesOuter(pointwise.geometry(1, 2, 15, 17)), "1x1: tiles inner");
            assertTrue(TileChoice.tilesOuter(seed.geometry(2, 8, 5, 7)), "4x4 s2: tiles outer");
            // A 130-column row stages 2 phases x 17 blocks x 4 pixels of 64 channels: 34 KiB, over the 32 allowed.
            KernelChoice wide = KernelChoice.direct(new DirectParameters(16, 8, 16, 2, 256, 1, 4, 4));
            String kernel = wide.launch(seed.geometry(1, 8, 4, 65), cpu).kernelName();
            assertTrue(kernel.equals("conv_transpose2d_flat"), "a 130-column row of 64 channels ran " + kernel);
            kernel = wide.launch(seed.geometry(1, 8, 4, 64), cpu).kernelName();
            assertTrue(kernel.equals("conv_transpose2d_channel_vectors"), "a 128-column row ran " + kernel);
        }
    }

    private static void checkChannelVectors(
            Device device, KernelChoice choice, Tuning row, Conv2d module, int[] shape, long seed, String what) {
        checkKernel(device, choice, row, "conv2d_channel_vectors", module, shape, seed, module::forward, what);
    }

    private static void checkChannelVectors(
            Device device,
            KernelChoice choice,
            Tuning row,
            ConvTranspose2d module,
            int[] shape,
            long seed,
            String what) {
        checkKernel(
                device, choice, row, "conv_transpose2d_channel_vectors", module, shape, seed, module::forward, what);
    }

    /** {@link #check}, after asserting that the choice runs {@code kernel} on this shape. */
    private static void checkKernel(
            Device device,
            KernelChoice choice,
            Tuning row,
            String kernel,
            ConvModule<?, ?> module,
            int[] shape,
            long seed,
            Function<Tensor, Tensor> forward,
            String what) {
        String ran = choice.launch(module.geometry(shape), row).kernelName();
        assertTrue(ran.equals(kernel), what + " with " + choice + " ran " + ran);
        check(device, choice, shape, seed, forward, what);
    }

    /** Stride larger than the kernel span leaves phases that no tap reaches: those outputs are the bias alone. */
    @Test
    void phasesThatNoTapReachesHoldTheBias() {
        Device device = TestDevices.openClOrSkip();
        KernelChoice choice = KernelChoice.gemm(new GemmParameters(8, 16, 4, 4, 4, true, true));
        try (ConvTranspose2d sparse = ConvTranspose2d.builder(4, 6, 2)
                .stride(3)
                .dilation(2)
                .padding(1)
                .outputPadding(2)
                .device(Device.java())
                .build()) {
            check(device, choice, new int[] {2, 4, 5, 6}, 6, sparse::forward, "stride 3 over a 2x2 kernel");
        }
    }

    @Test
    void parametersOutsideTheDeviceLimitsAreRefusedBeforeBuilding() {
        GemmParameters tooWide = new GemmParameters(64, 64, 8, 64, 64, false, false);
        assertNotNull(tooWide.problemFor(1024, 65536));
        GemmParameters tooMuchLocal = new GemmParameters(128, 128, 32, 16, 16, true, true);
        assertTrue(tooMuchLocal.problemFor(1024, 16384).contains("local memory"));
        assertThrows(IllegalArgumentException.class, () -> GemmParameters.SPACE.parse("MWG=8,NWG=8"));
        assertThrows(IllegalArgumentException.class, () -> KernelChoice.parse("fast", null));
        assertThrows(IllegalArgumentException.class, () -> KernelChoice.parse("gemm", null));
        KernelChoice direct = KernelChoice.parse("direct:OC=8,OCT=4,VW=8,WG=2,WORK=64,JV=3", null);
        assertTrue(
                direct.equals(KernelChoice.direct(new DirectParameters(8, 4, 8, 2, 64, 3, 0, 4))), direct.toString());
        assertTrue(KernelChoice.parse(direct.toString(), null).equals(direct));
        // Tuning files written before JV existed stand for the kernels they were tuned with: one vector per item.
        KernelChoice older = KernelChoice.parse("direct:OC=8,OCT=4,VW=8,WG=2,WORK=64", null);
        assertTrue(older.equals(KernelChoice.direct(new DirectParameters(8, 4, 8, 2, 64, 1, 0, 4))), older.toString());
        assertNotNull(new DirectParameters(8, 4, 6, 2, 64, 1, 0, 4).problemFor(1024));
        assertNull(new DirectParameters(8, 4, 16, 2, 64, 4, 0, 4).problemFor(1024));
        assertTrue(
                new DirectParameters(8, 4, 16, 2, 64, 5, 0, 4).problemFor(1024).contains("JV x VW"));
        // ... and before CV and PX: the pixel-vector kernels, PX at its default.
        KernelChoice channels = KernelChoice.parse("direct:OC=8,OCT=4,VW=16,WG=2,WORK=64,JV=1,CV=4,PX=6", null);
        assertTrue(channels.equals(KernelChoice.direct(new DirectParameters(8, 4, 16, 2, 64, 1, 4, 6))));
        assertTrue(KernelChoice.parse(channels.toString(), null).equals(channels), channels.toString());
        assertNull(new DirectParameters(8, 4, 16, 2, 64, 1, 8, 8).problemFor(1024));
        assertTrue(
                new DirectParameters(8, 4, 16, 2, 64, 1, -1, 4).problemFor(1024).contains("CV must be"));
        assertTrue(
                new DirectParameters(8, 4, 16, 2, 64, 1, 8, 9).problemFor(1024).contains("CV x PX"));
        assertTrue(
                new DirectParameters(8, 4, 16, 2, 64, 1, 4, 0).problemFor(1024).contains("positive"));
        GemmParameters parsed = GemmParameters.SPACE.parse("MWG=16,NWG=32,KWG=8,MDIMC=4,NDIMC=8,SA=1,SB=0");
        assertTrue(parsed.equals(new GemmParameters(16, 32, 8, 4, 8, true, false)), parsed.toString());
        assertTrue(GemmParameters.SPACE.parse(parsed.toString()).equals(parsed));
    }

    /** The forced choice, the Java backend's result within tolerance, and the same bits on a second run. */
    private static void check(
            Device device,
            KernelChoice choice,
            int[] inputShape,
            long seed,
            Function<Tensor, Tensor> forward,
            String what) {
        Tensor input = Comparison.randomTensor(seed, inputShape);
        Tensor expected = forward.apply(input);
        float[][] runs = new float[2][];
        try (Tensor onDevice = input.to(device)) {
            KernelSelector.withCandidate(choice, () -> {
                for (int run = 0; run < 2; run++) {
                    try (Tensor result = forward.apply(onDevice)) {
                        runs[run] = result.toArray();
                    }
                }
            });
        }
        Comparison.assertClose(expected.toArray(), runs[0], TOLERANCE, what + " with " + choice);
        assertArrayEquals(runs[0], runs[1], 0f, what + " with " + choice + ": two runs differ");
    }
}
