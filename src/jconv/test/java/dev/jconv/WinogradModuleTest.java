package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A module built with {@link Conv2dAlgorithm#WINOGRAD}, as a user builds it: on the Java backend it runs Winograd
 * (close to the exact module, not bitwise equal to it); on OpenCL, which has no Winograd kernel, it runs the exact
 * kernels, so its output is bitwise the exact module's there; and fusing a BatchNorm keeps the algorithm.
 */
class WinogradModuleTest {

    @Test
    void winogradRunsOnJavaAndTheExactKernelsOnOpenCl() {
        Conv2d exact = Conv2d.builder(8, 12, 3).padding(1).seed(5).build();
        Conv2d winograd = Conv2d.builder(8, 12, 3)
                .padding(1)
                .seed(5)
                .algorithm(Conv2dAlgorithm.WINOGRAD)
                .build();
        Tensor input = Tensor.of(uniform(new SplittableRandom(3), 2 * 8 * 19 * 21), 2, 8, 19, 21);

        float[] javaExact = exact.to(Device.java()).forward(input).toArray();
        float[] javaWinograd = winograd.to(Device.java()).forward(input).toArray();
        boolean anyDifferent = false;
        for (int i = 0; i < javaExact.length; i++) {
            assertEquals(javaExact[i], javaWinograd[i], 1e-5, "element " + i);
            anyDifferent |= javaExact[i] != javaWinograd[i];
        }
        assertTrue(anyDifferent, "the Java backend ran Winograd, whose rounding differs from the exact sum's");

        Device openCl = TestDevices.openClOrSkip();
        float[] openClExact = exact.to(openCl).forward(input).toArray();
        float[] openClWinograd = winograd.to(openCl).forward(input).toArray();
        assertArrayEquals(openClExact, openClWinograd, "OpenCL runs a Winograd module's convolution exactly");
    }

    @Test
    void fusingABatchNormKeepsTheAlgorithm() {
        Conv2d winograd = Conv2d.builder(4, 6, 3)
                .padding(1)
                .algorithm(Conv2dAlgorithm.WINOGRAD)
                .build();
        // The module Sequential's fusion builds for conv -> BatchNorm2d -> ReLU.
        assertEquals(
                Conv2dAlgorithm.WINOGRAD,
                winograd.withEpilogue(true, Activation.RELU).algorithm());
        assertEquals(
                Conv2dAlgorithm.EXACT,
                Conv2d.builder(4, 6, 3)
                        .build()
                        .withEpilogue(true, Activation.RELU)
                        .algorithm());
    }

    private static float[] uniform(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
