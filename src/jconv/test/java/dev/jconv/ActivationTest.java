package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Java activations against values worked out independently (erf tables, closed forms), and NaN handling. */
class ActivationTest {

    @Test
    void erfMatchesTabulatedValues() {
        // Abramowitz & Stegun table 7.1 and high-precision references.
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-15);
        assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-15);
        assertEquals(-0.9998656672600594, Erf.erf(-2.7), 1e-14);
        assertEquals(0.9999779095030014, Erf.erf(3.0), 1e-14);
        assertEquals(0.9999999845827421, Erf.erf(4.0), 1e-14);
        assertEquals(1.0, Erf.erf(7.0), 0);
        assertEquals(0.0, Erf.erf(0.0), 0);
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
    }

    @Test
    void eachActivationGivesPyTorchsValues() {
        assertEquals(0f, Activation.RELU.apply(-2f));
        assertEquals(3f, Activation.RELU.apply(3f));
        assertEquals(-0.4f, Activation.leakyRelu(0.2f).apply(-2f), 1e-7f);
        assertEquals(
                -0.02f, Activation.leakyRelu(Activation.DEFAULT_NEGATIVE_SLOPE).apply(-2f), 1e-8f);
        assertEquals(6f, Activation.RELU6.apply(7.5f));
        assertEquals(0f, Activation.RELU6.apply(-1f));
        assertEquals(0.7310585786f, Activation.SIGMOID.apply(1f), 1e-7f);
        assertEquals(-0.7615941560f, Activation.TANH.apply(-1f), 1e-7f);
        assertEquals(0.7310585786f, Activation.SILU.apply(1f), 1e-7f);
        // GELU(1) = 0.5 * (1 + erf(1 / sqrt 2)) = Phi(1); GELU(-1) = -Phi(-1).
        assertEquals(0.8413447461f, Activation.GELU.apply(1f), 1e-7f);
        assertEquals(-0.1586552539f, Activation.GELU.apply(-1f), 1e-7f);
        // PyTorch: F.gelu(torch.tensor(1.), approximate='tanh') = 0.8411920071
        assertEquals(0.8411920071f, Activation.GELU_TANH.apply(1f), 1e-7f);
        assertEquals(2f / 3, Activation.HARDSWISH.apply(1f), 1e-7f);
        assertEquals(0f, Activation.HARDSWISH.apply(-3.5f), 0f);
        assertEquals(4f, Activation.HARDSWISH.apply(4f));
        assertEquals(-0f, Activation.SILU.apply(-200f));
    }

    @Test
    void nanStaysNanAndNoneIsTheIdentity() {
        for (Activation.Kind kind : Activation.Kind.values()) {
            Activation activation = new Activation(kind, kind == Activation.Kind.LEAKY_RELU ? 0.1f : 0f);
            assertTrue(Float.isNaN(activation.apply(Float.NaN)), activation.toString());
        }
        assertEquals(-1.25f, Activation.NONE.apply(-1.25f));
    }

    @Test
    void slopeBelongsToLeakyReluOnly() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> new Activation(Activation.Kind.RELU, 0.5f));
        assertTrue(error.getMessage().contains("negative_slope applies only to LeakyReLU"), error.getMessage());
        assertEquals("LeakyReLU(negative_slope=0.2)", Activation.leakyRelu(0.2f).toString());
        assertEquals("GELU(approximate='tanh')", Activation.GELU_TANH.toString());
    }
}
