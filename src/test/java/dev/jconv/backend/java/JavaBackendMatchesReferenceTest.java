package dev.jconv.backend.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
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
    private static final int CASES = 400;
    private static final double TOLERANCE = 1e-4;
    private static final ParallelRunner RUNNER = new ParallelRunner(2);

    private static List<MicroKernel> kernels() {
        MicroKernel selected = MicroKernels.selected();
        return selected instanceof PortableMicroKernel ? List.of(selected)
                : List.of(new PortableMicroKernel(), selected);
    }

    @Test
    void conv2dMatchesReference() {
        SplittableRandom master = new SplittableRandom(MASTER_SEED);
        int checked = 0;
        for (int attempt = 0; checked < CASES; attempt++) {
            long seed = master.nextLong();
            Conv2dGeometry g = randomConv2d(new SplittableRandom(seed));
            if (g == null) {
                continue;
            }
            checked++;
            SplittableRandom data = new SplittableRandom(seed ^ 0x5DEECE66DL);
            float[] input = uniform(data, g.inputElements());
            float[] weight = uniform(data, g.weightElements());
            float[] bias = g.hasBias() ? uniform(data, g.outChannels()) : null;
            float[] expected = new float[Math.toIntExact(g.outputElements())];
            ReferenceConv2d.run(g, input, weight, bias, expected, RUNNER);
            for (MicroKernel kernel : kernels()) {
                float[] actual = new float[expected.length];
                JavaConv2d.run(g, input, weight, bias, actual, kernel, RUNNER);
                assertClose(expected, actual, "seed " + seed + ", " + kernel.name() + " kernel, " + g.describe());
            }
        }
    }

    @Test
    void convTranspose2dMatchesReferenceGatherAndScatter() {
        SplittableRandom master = new SplittableRandom(MASTER_SEED + 1);
        int checked = 0;
        for (int attempt = 0; checked < CASES; attempt++) {
            long seed = master.nextLong();
            ConvTranspose2dGeometry g = randomConvTranspose2d(new SplittableRandom(seed));
            if (g == null) {
                continue;
            }
            checked++;
            SplittableRandom data = new SplittableRandom(seed ^ 0x5DEECE66DL);
            float[] input = uniform(data, g.inputElements());
            float[] weight = uniform(data, g.weightElements());
            float[] bias = g.hasBias() ? uniform(data, g.outChannels()) : null;
            float[] gather = new float[Math.toIntExact(g.outputElements())];
            ReferenceConvTranspose2d.run(g, input, weight, bias, gather, RUNNER);
            String where = "seed " + seed + ", " + g.describe();
            assertClose(ScatterConvTranspose2d.run(g, input, weight, bias), gather, "scatter vs gather, " + where);
            for (MicroKernel kernel : kernels()) {
                float[] actual = new float[gather.length];
                JavaConvTranspose2d.run(g, input, weight, bias, actual, kernel, RUNNER);
                assertClose(gather, actual, kernel.name() + " kernel, " + where);
            }
        }
    }

    /** A random valid geometry, or null when the draw breaks one of PyTorch's rules (the caller draws again). */
    private static Conv2dGeometry randomConv2d(SplittableRandom random) {
        int groups = random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 1;
        int inChannels = groups * (1 + random.nextInt(random.nextBoolean() ? 3 : 12));
        boolean depthwise = random.nextInt(4) == 0;
        if (depthwise) {
            groups = inChannels;
        }
        int outChannels = groups * (1 + random.nextInt(random.nextBoolean() ? 3 : 20));
        IntPair kernel = IntPair.of(1 + random.nextInt(5), 1 + random.nextInt(5));
        boolean same = random.nextInt(5) == 0;
        IntPair stride = same ? IntPair.of(1) : IntPair.of(1 + random.nextInt(3), 1 + random.nextInt(3));
        IntPair dilation = random.nextInt(3) == 0 ? IntPair.of(1 + random.nextInt(3), 1 + random.nextInt(3))
                : IntPair.of(1);
        Padding padding = same ? Padding.SAME : Padding.of(random.nextInt(4), random.nextInt(4));
        PaddingMode mode = PaddingMode.values()[random.nextInt(PaddingMode.values().length)];
        int batch = 1 + random.nextInt(3);
        int height = random.nextInt(6) == 0 ? 1 : 1 + random.nextInt(random.nextBoolean() ? 8 : 40);
        int width = random.nextInt(6) == 0 ? 1 : 1 + random.nextInt(random.nextBoolean() ? 8 : 40);
        try {
            Conv2dConfig config = new Conv2dConfig(inChannels, outChannels, kernel, stride, padding, dilation, groups,
                    random.nextBoolean(), mode);
            return Conv2dGeometry.of(config, new int[] {batch, inChannels, height, width});
        } catch (IllegalArgumentException invalid) {
            return null;
        }
    }

    private static ConvTranspose2dGeometry randomConvTranspose2d(SplittableRandom random) {
        int groups = random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 1;
        int inChannels = groups * (1 + random.nextInt(random.nextBoolean() ? 3 : 12));
        int outChannels = groups * (1 + random.nextInt(random.nextBoolean() ? 3 : 20));
        IntPair stride = IntPair.of(1 + random.nextInt(4), 1 + random.nextInt(4));
        boolean kernelIsStride = random.nextInt(4) == 0;
        IntPair kernel = kernelIsStride ? stride : IntPair.of(1 + random.nextInt(5), 1 + random.nextInt(5));
        IntPair dilation = !kernelIsStride && random.nextInt(3) == 0
                ? IntPair.of(1 + random.nextInt(3), 1 + random.nextInt(3)) : IntPair.of(1);
        IntPair padding = kernelIsStride ? IntPair.of(0) : IntPair.of(random.nextInt(4), random.nextInt(4));
        IntPair outputPadding = random.nextInt(3) == 0 ? IntPair.of(random.nextInt(4), random.nextInt(4))
                : IntPair.of(0);
        int batch = 1 + random.nextInt(3);
        int height = random.nextInt(6) == 0 ? 1 : 1 + random.nextInt(random.nextBoolean() ? 6 : 24);
        int width = random.nextInt(6) == 0 ? 1 : 1 + random.nextInt(random.nextBoolean() ? 6 : 24);
        try {
            ConvTranspose2dConfig config = new ConvTranspose2dConfig(inChannels, outChannels, kernel, stride,
                    padding, outputPadding, groups, random.nextBoolean(), dilation);
            int[] shape = {batch, inChannels, height, width};
            IntPair outputSize = null;
            if (random.nextInt(4) == 0) {
                // PyTorch's output_size: any size from the smallest up to stride - 1 more, per dimension.
                ConvTranspose2dGeometry smallest = ConvTranspose2dGeometry.of(config, shape, null);
                outputSize = IntPair.of(smallest.outHeight() - smallest.outputPadHeight()
                        + random.nextInt(stride.height()), smallest.outWidth() - smallest.outputPadWidth()
                        + random.nextInt(stride.width()));
            }
            return ConvTranspose2dGeometry.of(config, shape, outputSize);
        } catch (IllegalArgumentException invalid) {
            return null;
        }
    }

    @Test
    void resultsAreBitIdenticalAcrossRunsAndKernels() {
        Conv2dGeometry g = Conv2dGeometry.of(new Conv2dConfig(48, 40, IntPair.of(3), IntPair.of(1), Padding.of(1),
                IntPair.of(1), 1, true, PaddingMode.REFLECT), new int[] {2, 48, 37, 29});
        SplittableRandom data = new SplittableRandom(7);
        float[] input = uniform(data, g.inputElements());
        float[] weight = uniform(data, g.weightElements());
        float[] bias = uniform(data, g.outChannels());
        float[] first = new float[Math.toIntExact(g.outputElements())];
        float[] second = new float[first.length];
        float[] portable = new float[first.length];
        MicroKernel selected = MicroKernels.selected();
        JavaConv2d.run(g, input, weight, bias, first, selected, RUNNER);
        JavaConv2d.run(g, input, weight, bias, second, selected, new ParallelRunner(3));
        assertArrayEquals(first, second, "same call, different thread count");
        JavaConv2d.run(g, input, weight, bias, portable, new PortableMicroKernel(), RUNNER);
        assertArrayEquals(first, portable, "portable vs " + selected.name() + " kernel");
    }

    @Test
    void vectorKernelIsSelectedWhenTheModuleIsPresent() {
        Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        Assumptions.assumeTrue(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() >= 16,
                "the CPU lacks 512-bit vectors");
        assertTrue(MicroKernels.selected() instanceof VectorMicroKernel, MicroKernels.selected().name());
    }

    static float[] uniform(SplittableRandom random, long count) {
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    static void assertClose(float[] expected, float[] actual, String where) {
        for (int i = 0; i < expected.length; i++) {
            double difference = Math.abs(expected[i] - actual[i]);
            if (!(difference <= TOLERANCE + TOLERANCE * Math.abs(expected[i]))) {
                fail("element " + i + ": expected " + expected[i] + " but got " + actual[i] + " (" + where + ")");
            }
        }
    }
}
