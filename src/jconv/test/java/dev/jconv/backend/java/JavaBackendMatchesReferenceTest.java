package dev.jconv.backend.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Comparison;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.RandomCalls;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dConfig;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Randomised comparison of the fast Java backend (with each micro-kernel) against the simple reference
 * implementations, over configurations drawn from every feature: padding modes, 'same' padding, stride, dilation,
 * groups down to depthwise, bias, 1x1 images, batches, output_padding and output_size. Each case's seed is printed
 * on failure so it can be replayed.
 */
class JavaBackendMatchesReferenceTest {

    private static final long MASTER_SEED = 20240611L;
    private static final int CASES = 1500;
    private static final double TOLERANCE = 1e-4;
    private static final ParallelRunner RUNNER = new ParallelRunner(2);

    private static List<MicroKernel> kernels() {
        MicroKernel selected = MicroKernels.selected();
        return selected instanceof PortableMicroKernel
                ? List.of(selected)
                : List.of(new PortableMicroKernel(), selected);
    }

    @Test
    void conv2dMatchesReference() {
        SplittableRandom master = new SplittableRandom(MASTER_SEED);
        for (int index = 0; index < CASES; index++) {
            long seed = master.nextLong();
            Conv2dGeometry g = new RandomCalls(seed).conv2d().geometry();
            SplittableRandom data = new SplittableRandom(seed ^ 0x5DEECE66DL);
            float[] input = uniform(data, g.inputElements());
            float[] weight = uniform(data, g.weightElements());
            float[] bias = g.hasBias() ? uniform(data, g.outChannels()) : null;
            float[] expected = new float[Math.toIntExact(g.outputElements())];
            ReferenceConv2d.run(g, input, weight, bias, expected, RUNNER);
            for (MicroKernel kernel : kernels()) {
                float[] actual = new float[expected.length];
                JavaConv2d.run(g, new Operands(input, weight, bias, actual), kernel, RUNNER, BMatrixSource.AUTO);
                Comparison.assertClose(
                        expected,
                        actual,
                        TOLERANCE,
                        "seed " + seed + ", " + kernel.name() + " kernel, " + g.describe());
            }
        }
    }

    @Test
    void convTranspose2dMatchesReferenceGatherAndScatter() {
        SplittableRandom master = new SplittableRandom(MASTER_SEED + 1);
        for (int index = 0; index < CASES; index++) {
            long seed = master.nextLong();
            ConvTranspose2dGeometry g = new RandomCalls(seed).convTranspose2d().geometry();
            SplittableRandom data = new SplittableRandom(seed ^ 0x5DEECE66DL);
            float[] input = uniform(data, g.inputElements());
            float[] weight = uniform(data, g.weightElements());
            float[] bias = g.hasBias() ? uniform(data, g.outChannels()) : null;
            float[] gather = new float[Math.toIntExact(g.outputElements())];
            ReferenceConvTranspose2d.run(g, input, weight, bias, gather, RUNNER);
            String where = "seed " + seed + ", " + g.describe();
            Comparison.assertClose(
                    ScatterConvTranspose2d.run(g, input, weight, bias),
                    gather,
                    TOLERANCE,
                    "scatter vs gather, " + where);
            for (MicroKernel kernel : kernels()) {
                float[] actual = new float[gather.length];
                JavaConvTranspose2d.run(
                        g, new Operands(input, weight, bias, actual), kernel, RUNNER, BMatrixSource.AUTO);
                Comparison.assertClose(gather, actual, TOLERANCE, kernel.name() + " kernel, " + where);
            }
        }
    }

    /**
     * B read in place from the padded input and B packed through the source maps must give the same bits: the same
     * products summed in the same order. Random calls, and the bench's transposed shapes (smaller batches), each way.
     */
    @Test
    void inPlaceAndPackedBMatricesGiveTheSameBits() {
        SplittableRandom master = new SplittableRandom(MASTER_SEED + 2);
        MicroKernel kernel = MicroKernels.selected();
        int convolutionsInPlace = 0;
        int stridedInPlace = 0;
        int transposedInPlace = 0;
        for (int index = 0; index < 1000; index++) {
            long seed = master.nextLong();
            RandomCalls calls = new RandomCalls(seed);
            Conv2dGeometry g = calls.conv2d().geometry();
            if (JavaConv2d.readsInPlace(g, BMatrixSource.AUTO)) {
                convolutionsInPlace++;
                if (g.strideHeight() > 1 || g.strideWidth() > 1) {
                    stridedInPlace++;
                }
                float[][] data = operands(seed, g.inputElements(), g.weightElements(), g.outChannels());
                assertSameBothWays(
                        g.outputElements(),
                        "seed " + seed + ", " + g.describe(),
                        (output, source) -> JavaConv2d.run(
                                g, new Operands(data[0], data[1], data[2], output), kernel, RUNNER, source));
            }
            ConvTranspose2dGeometry t = calls.convTranspose2d().geometry();
            if (JavaConvTranspose2d.readsInPlace(t, BMatrixSource.AUTO)) {
                transposedInPlace++;
                checkTransposedBothWays(t, seed, kernel);
            }
        }
        String counts = convolutionsInPlace + " convolutions (" + stridedInPlace + " strided) and " + transposedInPlace
                + " transposed ones read B in place";
        assertTrue(convolutionsInPlace >= 25 && stridedInPlace >= 5 && transposedInPlace >= 5, counts);
        // Strided ones through phase planes, as the bench's strided7x7 (smaller), odd sizes, stride 3, dilation and
        // every padding mode.
        for (Conv2dConfig config : new Conv2dConfig[] {
            stridedConfig(3, 16, 7, IntPair.of(2), IntPair.of(1), 3, PaddingMode.ZEROS),
            stridedConfig(4, 8, 3, IntPair.of(2, 3), IntPair.of(2), 2, PaddingMode.REFLECT),
            stridedConfig(5, 9, 4, IntPair.of(3), IntPair.of(1), 1, PaddingMode.CIRCULAR),
            stridedConfig(2, 6, 5, IntPair.of(2), IntPair.of(1, 2), -1, PaddingMode.REPLICATE)
        }) {
            Conv2dGeometry g =
                    Conv2dGeometry.of(config, new int[] {2, config.common().inChannels(), 61, 67});
            assertTrue(JavaConv2d.readsInPlace(g, BMatrixSource.AUTO), g.describe());
            float[][] data =
                    operands(config.common().inChannels(), g.inputElements(), g.weightElements(), g.outChannels());
            assertSameBothWays(
                    g.outputElements(),
                    g.describe(),
                    (output, source) ->
                            JavaConv2d.run(g, new Operands(data[0], data[1], data[2], output), kernel, RUNNER, source));
        }
        for (int[] shape : new int[][] {
            {2, 128, 16, 16, 64, 4, 2, 1, 0},
            {2, 64, 32, 32, 3, 4, 2, 1, 0},
            {1, 32, 20, 20, 16, 3, 1, 1, 0},
            {1, 64, 28, 28, 32, 3, 2, 1, 1}
        }) {
            ConvTranspose2dGeometry t = ConvTranspose2dGeometry.of(
                    new ConvTranspose2dConfig(
                            new CommonConfig(
                                    shape[1],
                                    shape[4],
                                    IntPair.of(shape[5]),
                                    IntPair.of(shape[6]),
                                    IntPair.of(1),
                                    1,
                                    true),
                            IntPair.of(shape[7]),
                            IntPair.of(shape[8])),
                    new int[] {shape[0], shape[1], shape[2], shape[3]},
                    null);
            assertTrue(JavaConvTranspose2d.readsInPlace(t, BMatrixSource.AUTO), t.describe());
            checkTransposedBothWays(t, shape[1], kernel);
        }
    }

    private static Conv2dConfig stridedConfig(
            int in, int out, int kernel, IntPair stride, IntPair dilation, int padding, PaddingMode mode) {
        return new Conv2dConfig(
                new CommonConfig(in, out, IntPair.of(kernel), stride, dilation, 1, true), Padding.of(padding), mode);
    }

    private static void checkTransposedBothWays(ConvTranspose2dGeometry t, long seed, MicroKernel kernel) {
        float[][] data = operands(seed, t.inputElements(), t.weightElements(), t.outChannels());
        assertSameBothWays(
                t.outputElements(),
                "seed " + seed + ", " + t.describe(),
                (output, source) -> JavaConvTranspose2d.run(
                        t, new Operands(data[0], data[1], data[2], output), kernel, RUNNER, source));
    }

    /** One call into a given output array with B from a given source. */
    private interface CallWithSource {
        void run(float[] output, BMatrixSource source);
    }

    private static void assertSameBothWays(long outputs, String where, CallWithSource call) {
        float[] inPlace = new float[Math.toIntExact(outputs)];
        float[] packed = new float[inPlace.length];
        call.run(inPlace, BMatrixSource.AUTO);
        call.run(packed, BMatrixSource.PACKED);
        assertArrayEquals(packed, inPlace, where);
    }

    private static float[][] operands(long seed, long inputs, long weights, int biases) {
        SplittableRandom data = new SplittableRandom(seed ^ 0x5DEECE66DL);
        return new float[][] {uniform(data, inputs), uniform(data, weights), uniform(data, biases)};
    }

    @Test
    void resultsAreBitIdenticalAcrossRunsAndKernels() {
        Conv2dGeometry g = Conv2dGeometry.of(
                new Conv2dConfig(
                        new CommonConfig(48, 40, IntPair.of(3), IntPair.of(1), IntPair.of(1), 1, true),
                        Padding.of(1),
                        PaddingMode.REFLECT),
                new int[] {2, 48, 37, 29});
        SplittableRandom data = new SplittableRandom(7);
        float[] input = uniform(data, g.inputElements());
        float[] weight = uniform(data, g.weightElements());
        float[] bias = uniform(data, g.outChannels());
        float[] first = new float[Math.toIntExact(g.outputElements())];
        float[] second = new float[first.length];
        float[] portable = new float[first.length];
        MicroKernel selected = MicroKernels.selected();
        JavaConv2d.run(g, new Operands(input, weight, bias, first), selected, RUNNER, BMatrixSource.AUTO);
        JavaConv2d.run(
                g, new Operands(input, weight, bias, second), selected, new ParallelRunner(3), BMatrixSource.AUTO);
        assertArrayEquals(first, second, "same call, different thread count");
        JavaConv2d.run(
                g, new Operands(input, weight, bias, portable), new PortableMicroKernel(), RUNNER, BMatrixSource.AUTO);
        assertArrayEquals(first, portable, "portable vs " + selected.name() + " kernel");
    }

    /** The Vector API kernel runs at the CPU's preferred width (or the narrower one jconv.vectorBits asks for). */
    @Test
    void vectorKernelIsSelectedAtThePreferredWidthWhenTheModuleIsPresent() {
        Assumptions.assumeTrue(
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        int preferredBits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        Assumptions.assumeTrue(preferredBits >= 128, "the CPU lacks 128-bit vectors");
        int requested = MicroKernels.requestedVectorBits();
        int expectedBits = requested == 0 ? preferredBits : requested;
        // CI's second width pass names the width its JVM flags should give, so a flag that stops working fails.
        String expectedByCi = System.getProperty("jconv.test.expectedVectorBits");
        if (expectedByCi != null) {
            assertEquals(Integer.parseInt(expectedByCi), expectedBits, "the width CI's JVM flags should give");
        }
        assertTrue(
                MicroKernels.selected() instanceof VectorMicroKernel,
                MicroKernels.selected().name());
        assertEquals("vector-api-" + expectedBits, MicroKernels.selected().name());
        assertEquals(2 * expectedBits / Float.SIZE, MicroKernels.selected().tileColumns());
        assertTrue(
                JavaBackend.kernelDescription().endsWith("(" + expectedBits + "-bit)"),
                JavaBackend.kernelDescription());
    }

    static float[] uniform(SplittableRandom random, long count) {
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
