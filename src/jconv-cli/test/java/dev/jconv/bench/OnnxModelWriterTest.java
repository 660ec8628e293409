package dev.jconv.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Comparison;
import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Proves OnnxModelWriter's protobuf: its models, run in ONNX Runtime, give jconv's Java backend's output; and the
 * bench's agreement check refuses outputs that differ.
 */
class OnnxModelWriterTest {

    @Test
    void groupedDilatedPaddedConvMatchesJconv() {
        // in 4, out 6, kernel 3, stride 2, padding 2, dilation 2, groups 2; batch 2, 9x7 (not square)
        assertOrtMatchesJconv(new WorkloadShape("grouped", "conv2d", 2, 4, 9, 7, 6, 3, 2, 2, 2, 2, 0));
    }

    @Test
    void transposedWithOutputPaddingMatchesJconv() {
        // in 6, out 4, kernel 3, stride 2, padding 1, dilation 2, groups 2, output_padding 1; 5x6
        assertOrtMatchesJconv(new WorkloadShape("transposed", "conv_transpose2d", 1, 6, 5, 6, 4, 3, 2, 1, 2, 2, 1));
    }

    @Test
    void agreementCheckRefusesADifferentOutputAndNamesTheDifference() {
        float[] expected = {1f, -2f, 3f};
        assertDoesNotThrow(() -> OrtTimer.requireAgreement("close", expected, new float[] {1.00005f, -2f, 3f}));
        IllegalStateException error = assertThrows(
                IllegalStateException.class,
                () -> OrtTimer.requireAgreement("seed_conv", expected, new float[] {1f, -2.5f, 3f}));
        assertTrue(
                error.getMessage().contains("seed_conv") && error.getMessage().contains("0.500"), error.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> OrtTimer.requireAgreement("nan", expected, new float[] {1f, Float.NaN, 3f}));
    }

    private static void assertOrtMatchesJconv(WorkloadShape shape) {
        try (ConvModule<?, ?> module = shape.newModule().to(Device.java());
                Tensor input = shape.randomInput();
                Tensor expected = module.forward(input);
                OrtModel model = new OrtModel(OnnxModelWriter.write(shape, module.weight(), module.bias()), input)) {
            Comparison.assertClose(expected.toArray(), model.output(), 1e-4, shape.name() + " in ONNX Runtime");
        }
    }
}
