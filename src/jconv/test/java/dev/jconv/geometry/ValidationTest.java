package dev.jconv.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** PyTorch's rules for both ops, with the words of its messages and the values that broke them. */
class ValidationTest {

    private static Conv2dConfig conv(
            int in, int out, int kernel, int stride, Padding padding, int dilation, int groups, PaddingMode mode) {
        return new Conv2dConfig(
                new CommonConfig(in, out, IntPair.of(kernel), IntPair.of(stride), IntPair.of(dilation), groups, true),
                padding,
                mode);
    }

    private static Conv2dConfig conv(int in, int out, int kernel, int stride, int padding) {
        return conv(in, out, kernel, stride, Padding.of(padding), 1, 1, PaddingMode.ZEROS);
    }

    private static ConvTranspose2dConfig convT(
            int in, int out, int kernel, int stride, int padding, int outputPadding, int dilation) {
        return new ConvTranspose2dConfig(
                new CommonConfig(in, out, IntPair.of(kernel), IntPair.of(stride), IntPair.of(dilation), 1, true),
                IntPair.of(padding),
                IntPair.of(outputPadding));
    }

    private static void rejects(String expectedText, Executable call) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        assertTrue(
                error.getMessage().contains(expectedText),
                "message '" + error.getMessage() + "' should contain '" + expectedText + "'");
    }

    /** The reprs name modules in messages; expected strings printed by PyTorch 1.13 for the same modules. */
    @Test
    void reprsListKeywordsInPyTorchsOrder() {
        ConvTranspose2dConfig transposed = new ConvTranspose2dConfig(
                new CommonConfig(4, 4, IntPair.of(3), IntPair.of(2), IntPair.of(2), 2, false),
                IntPair.of(1),
                IntPair.of(1));
        assertEquals(
                "ConvTranspose2d(4, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2),"
                        + " output_padding=(1, 1), groups=2, bias=False)",
                transposed.toString());
        assertEquals(
                "Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(2, 2), groups=2,"
                        + " bias=False, padding_mode=reflect)",
                new Conv2dConfig(
                                new CommonConfig(4, 4, IntPair.of(3), IntPair.of(1), IntPair.of(2), 2, false),
                                Padding.of(1),
                                PaddingMode.REFLECT)
                        .toString());
        assertEquals(
                "Conv2d(128, 64, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1))",
                conv(128, 64, 4, 2, 1).toString());
    }

    @Test
    void seedShapesFollowPyTorchsFormulas() {
        assertArrayEquals(
                new int[] {1, 64, 8, 8},
                Conv2dGeometry.of(conv(128, 64, 4, 2, 1), new int[] {1, 128, 16, 16})
                        .outputShape());
        assertArrayEquals(
                new int[] {1, 64, 32, 32},
                ConvTranspose2dGeometry.of(convT(128, 64, 4, 2, 1, 0, 1), new int[] {1, 128, 16, 16}, null)
                        .outputShape());
    }

    @Test
    void unbatchedInputGivesUnbatchedOutput() {
        assertArrayEquals(
                new int[] {64, 8, 8},
                Conv2dGeometry.of(conv(128, 64, 4, 2, 1), new int[] {128, 16, 16})
                        .outputShape());
    }

    @Test
    void samePaddingPutsTheOddPixelAtTheEnd() {
        Conv2dGeometry g =
                Conv2dGeometry.of(conv(2, 2, 4, 1, Padding.SAME, 3, 1, PaddingMode.ZEROS), new int[] {1, 2, 9, 9});
        assertEquals(4, g.padding().top());
        assertEquals(5, g.padding().bottom());
        assertEquals(4, g.padding().left());
        assertEquals(5, g.padding().right());
        assertEquals(9, g.outHeight());
    }

    @Test
    void constructorRules() {
        rejects("groups must be a positive integer", () -> conv(4, 4, 3, 1, Padding.of(0), 1, 0, PaddingMode.ZEROS));
        rejects(
                "in_channels must be divisible by groups",
                () -> conv(5, 4, 3, 1, Padding.of(0), 1, 2, PaddingMode.ZEROS));
        rejects(
                "out_channels must be divisible by groups",
                () -> conv(4, 5, 3, 1, Padding.of(0), 1, 2, PaddingMode.ZEROS));
        rejects(
                "padding='same' is not supported for strided convolutions",
                () -> conv(4, 4, 3, 2, Padding.SAME, 1, 1, PaddingMode.ZEROS));
        rejects("Invalid padding string 'SAME'", () -> Padding.word("SAME"));
        rejects("padding_mode must be one of", () -> PaddingMode.parse("constant"));
        rejects("non-positive stride is not supported (got stride=(0, 0))", () -> conv(4, 4, 3, 0, 0));
        rejects("dilation should be greater than zero", () -> conv(4, 4, 3, 1, Padding.of(0), 0, 1, PaddingMode.ZEROS));
        rejects("negative padding is not supported (got padding=(-1, -1))", () -> conv(4, 4, 3, 1, -1));
        rejects("kernel_size must be positive", () -> conv(4, 4, 0, 1, 0));
        rejects(
                "output padding must be smaller than either stride or dilation, but got output_padding_height: 2",
                () -> convT(4, 4, 3, 2, 0, 2, 1));
        rejects("negative output_padding is not supported", () -> convT(4, 4, 3, 2, 0, -1, 1));
    }

    @Test
    void outputPaddingMayReachDilationWhenBelowStrideAndViceVersa() {
        convT(4, 4, 3, 1, 0, 1, 2); // op 1 < dilation 2
        convT(4, 4, 3, 3, 0, 2, 1); // op 2 < stride 3
    }

    @Test
    void forwardRules() {
        rejects(
                "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [6, 6]",
                () -> Conv2dGeometry.of(conv(4, 4, 3, 1, 0), new int[] {6, 6}));
        rejects(
                "Given groups=1, weight of size [64, 128, 4, 4], expected input[1, 3, 16, 16] to have 128 channels,"
                        + " but got 3 channels instead",
                () -> Conv2dGeometry.of(conv(128, 64, 4, 2, 1), new int[] {1, 3, 16, 16}));
        rejects(
                "Calculated padded input size per channel: (2 x 2). Kernel size: (4 x 4). Kernel size can't be greater"
                        + " than actual input size",
                () -> Conv2dGeometry.of(conv(3, 3, 4, 1, 0), new int[] {1, 3, 2, 2}));
        rejects(
                "Given transposed=1, weight of size [4, 4, 3, 3], expected input[1, 3, 6, 6] to have 4 channels",
                () -> ConvTranspose2dGeometry.of(convT(4, 4, 3, 1, 0, 0, 1), new int[] {1, 3, 6, 6}, null));
        rejects(
                "Calculated output size per channel: (0 x 0). Output size is too small",
                () -> ConvTranspose2dGeometry.of(convT(4, 4, 1, 1, 1, 0, 1), new int[] {1, 4, 2, 2}, null));
    }

    @Test
    void paddingModeLimits() {
        Conv2dConfig reflect = conv(1, 1, 3, 1, Padding.of(3), 1, 1, PaddingMode.REFLECT);
        rejects(
                "Padding size should be less than the corresponding input dimension, but got: padding (3, 3)",
                () -> Conv2dGeometry.of(reflect, new int[] {1, 1, 3, 3}));
        Conv2dGeometry.of(reflect, new int[] {1, 1, 4, 4});
        Conv2dConfig circular = conv(1, 1, 3, 1, Padding.of(3), 1, 1, PaddingMode.CIRCULAR);
        Conv2dGeometry.of(circular, new int[] {1, 1, 3, 3});
        rejects(
                "Padding value causes wrapping around more than once",
                () -> Conv2dGeometry.of(circular, new int[] {1, 1, 2, 2}));
        Conv2dConfig replicate = conv(1, 1, 3, 1, Padding.of(50), 1, 1, PaddingMode.REPLICATE);
        assertEquals(101, Conv2dGeometry.of(replicate, new int[] {1, 1, 3, 3}).outHeight());
    }

    @Test
    void unbatchedCircularInputRunsAsABatchOfOneAsInPyTorch2() {
        // PyTorch 1.13 rejected this ("Invalid padding size, expected 2 but got 4"); 2.x returns the batched result.
        Conv2dConfig circular = conv(2, 3, 3, 1, Padding.of(1), 1, 1, PaddingMode.CIRCULAR);
        Conv2dGeometry unbatched = Conv2dGeometry.of(circular, new int[] {2, 5, 4});
        assertArrayEquals(new int[] {3, 5, 4}, unbatched.outputShape());
        assertEquals(1, unbatched.batch());
        Conv2dGeometry batched = Conv2dGeometry.of(circular, new int[] {1, 2, 5, 4});
        assertArrayEquals(new int[] {1, 3, 5, 4}, batched.outputShape());
        rejects(
                "Padding value causes wrapping around more than once",
                () -> Conv2dGeometry.of(
                        conv(1, 1, 3, 1, Padding.of(3), 1, 1, PaddingMode.CIRCULAR), new int[] {1, 2, 2}));
    }

    @Test
    void negativePaddingCropsInNonZeroModesAsFPadDoes() {
        Conv2dConfig cropping = conv(4, 4, 3, 1, Padding.of(-1), 1, 1, PaddingMode.REFLECT);
        assertEquals(4, Conv2dGeometry.of(cropping, new int[] {1, 4, 8, 8}).outHeight());
    }

    @Test
    void outputSizeMustLieInPyTorchsRange() {
        ConvTranspose2dConfig config = convT(2, 2, 3, 2, 1, 0, 1);
        int[] input = {1, 2, 6, 6};
        assertEquals(11, ConvTranspose2dGeometry.of(config, input, null).outHeight());
        assertEquals(
                12,
                ConvTranspose2dGeometry.of(config, input, IntPair.of(12, 11)).outHeight());
        rejects(
                "requested an output size of [10, 11], but valid sizes range from [11, 11] to [12, 12]",
                () -> ConvTranspose2dGeometry.of(config, input, IntPair.of(10, 11)));
        rejects(
                "requested an output size of [13, 11]",
                () -> ConvTranspose2dGeometry.of(config, input, IntPair.of(13, 11)));
    }

    @Test
    void hugeShapesAreRefusedBeforeAnyAllocation() {
        rejects(
                "more elements than a Java array can hold",
                () -> Conv2dGeometry.of(conv(1, 1, 1, 1, 0), new int[] {100000, 1, 100000, 100000}));
    }
}
