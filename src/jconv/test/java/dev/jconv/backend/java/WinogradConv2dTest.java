package dev.jconv.backend.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Activation;
import dev.jconv.Conv2d;
import dev.jconv.Conv2dAlgorithm;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Winograd F(2x2, 3x3) against the exact path on the same inputs: every padding mode (negative ones too), groups, odd
 * and even sizes
 * (the last tile of an odd size is half outside), batches, bias and a fused activation; bitwise the same on a rerun.
 */
class WinogradConv2dTest {

    private static final MicroKernel KERNEL = MicroKernels.selected();
    private static final ParallelRunner RUNNER =
            new ParallelRunner(Runtime.getRuntime().availableProcessors());

    @Test
    void matchesTheExactPathOnManyShapes() {
        SplittableRandom random = new SplittableRandom(11);
        PaddingMode[] modes = PaddingMode.values();
        int checked = 0;
        for (int trial = 0; trial < 60; trial++) {
            int groups = 1 + random.nextInt(3);
            int inChannels = groups * (1 + random.nextInt(12));
            int outChannels = groups * (1 + random.nextInt(20));
            int height = 2 + random.nextInt(17);
            // Up to 24 wide, so the exact path also reads B in place from the padded input (16 or more columns).
            int width = 2 + random.nextInt(23);
            int batch = 1 + random.nextInt(3);
            PaddingMode mode = modes[random.nextInt(modes.length)];
            // Reflect, replicate and circular also take a negative padding, which crops.
            int padding = mode == PaddingMode.ZEROS ? random.nextInt(3) : random.nextInt(4) - 1;
            Activation activation = random.nextBoolean() ? Activation.NONE : Activation.RELU;
            Conv2dConfig config = new Conv2dConfig(
                    new CommonConfig(
                            inChannels,
                            outChannels,
                            IntPair.of(3),
                            IntPair.of(1),
                            IntPair.of(1),
                            groups,
                            random.nextBoolean()),
                    Padding.of(padding),
                    mode);
            Conv2dGeometry exact;
            try {
                exact = Conv2dGeometry.of(config, new int[] {batch, inChannels, height, width})
                        .withActivation(activation);
            } catch (IllegalArgumentException tooSmall) {
                continue;
            }
            Conv2dGeometry winograd = exact.withAlgorithm(Conv2dAlgorithm.WINOGRAD);
            float[] input = uniform(random, exact.inputElements());
            float[] weight = uniform(random, exact.weightElements());
            float[] bias = config.common().bias() ? uniform(random, outChannels) : null;
            float[] expected = new float[Math.toIntExact(exact.outputElements())];
            JavaConv2d.run(exact, new Operands(input, weight, bias, expected), KERNEL, RUNNER, BMatrixSource.AUTO);
            float[] actual = new float[expected.length];
            WinogradConv2d.run(winograd, new Operands(input, weight, bias, actual), KERNEL, RUNNER);
            float[] again = new float[expected.length];
            WinogradConv2d.run(winograd, new Operands(input, weight, bias, again), KERNEL, RUNNER);
            assertArrayEquals(actual, again, "bitwise the same on a rerun: " + winograd.describe());
            for (int i = 0; i < expected.length; i++) {
                double allowed = 1e-5 * inChannels / groups * 9 + 1e-5 * Math.abs(expected[i]);
                assertEquals(expected[i], actual[i], allowed, winograd.describe() + " at " + i);
            }
            checked++;
        }
        assertTrue(checked >= 40, "shapes checked: " + checked);
    }

    @Test
    void theBuilderRejectsShapesWinogradCannotCompute() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> Conv2d.builder(4, 4, 3)
                        .stride(2)
                        .algorithm(Conv2dAlgorithm.WINOGRAD)
                        .build());
        assertEquals(
                "algorithm WINOGRAD computes 3x3 convolutions with stride 1 and dilation 1 only, but got"
                        + " kernel_size=(3, 3), stride=(2, 2), dilation=(1, 1)",
                error.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Conv2d.builder(4, 4, 5)
                        .algorithm(Conv2dAlgorithm.WINOGRAD)
                        .build());
        assertEquals(
                Conv2dAlgorithm.WINOGRAD,
                Conv2d.builder(4, 4, 3)
                        .padding(1)
                        .algorithm(Conv2dAlgorithm.WINOGRAD)
                        .build()
                        .algorithm());
    }

    private static float[] uniform(SplittableRandom random, long count) {
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
