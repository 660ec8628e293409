package dev.jconv;

import java.util.Objects;

/**
 * An elementwise activation as PyTorch defines it, applied by the kernels to each output value just before it is
 * stored (a fused epilogue), or by a standalone {@link ActivationLayer}. {@link #NONE} stores the value unchanged.
 *
 * <p>Both backends evaluate the same formulas; the Java backend in double precision, rounded once, OpenCL with the
 * driver's float built-ins (a few ulp), so the two agree far inside jconv's 1e-4 tolerance. NaN stays NaN through
 * every activation, as in PyTorch.
 *
 * @param kind           which function
 * @param negativeSlope  LeakyReLU's slope for negative inputs; 0 for every other kind
 */
public record Activation(Kind kind, float negativeSlope) {

    /** The functions jconv implements, each with PyTorch's module name; the ordinal is the kernels' ACTIVATION code. */
    public enum Kind {
        NONE("Identity"),
        RELU("ReLU"),
        LEAKY_RELU("LeakyReLU"),
        RELU6("ReLU6"),
        SIGMOID("Sigmoid"),
        TANH("Tanh"),
        SILU("SiLU"),
        GELU("GELU"),
        GELU_TANH("GELU"),
        HARDSWISH("Hardswish");

        private final String torchName;

        Kind(String torchName) {
            this.torchName = torchName;
        }

        public String torchName() {
            return torchName;
        }
    }

    // The functions without a parameter are constants, as NONE is; LeakyReLU, which has one, has a factory.
    public static final Activation NONE = new Activation(Kind.NONE, 0f);
    public static final Activation RELU = new Activation(Kind.RELU, 0f);
    public static final Activation RELU6 = new Activation(Kind.RELU6, 0f);
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f);
    public static final Activation TANH = new Activation(Kind.TANH, 0f);
    public static final Activation SILU = new Activation(Kind.SILU, 0f);
    /** {@code nn.GELU()}: the exact form with erf. */
    public static final Activation GELU = new Activation(Kind.GELU, 0f);
    /** {@code nn.GELU(approximate='tanh')}. */
    public static final Activation GELU_TANH = new Activation(Kind.GELU_TANH, 0f);

    public static final Activation HARDSWISH = new Activation(Kind.HARDSWISH, 0f);
    /** PyTorch's default LeakyReLU slope. */
    public static final float DEFAULT_NEGATIVE_SLOPE = 0.01f;

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_CUBIC = 0.044715;

    public Activation {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.LEAKY_RELU && negativeSlope != 0f) {
            throw new IllegalArgumentException("negative_slope applies only to LeakyReLU, not " + kind.torchName());
        }
        if (!Float.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("negative_slope must be finite, but got " + negativeSlope);
        }
    }

    /** {@code nn.LeakyReLU(negative_slope)}. */
    public static Activation leakyRelu(float negativeSlope) {
        return new Activation(Kind.LEAKY_RELU, negativeSlope);
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** The activation of {@code x}, as PyTorch computes it. */
    public float apply(float x) {
        double v = x;
        return switch (kind) {
            case NONE -> x;
            case RELU -> x < 0 ? 0f : x;
            case LEAKY_RELU -> x < 0 ? x * negativeSlope : x;
            case RELU6 -> x < 0 ? 0f : x > 6 ? 6f : x;
            case SIGMOID -> (float) (1 / (1 + Math.exp(-v)));
            case TANH -> (float) Math.tanh(v);
            case SILU -> (float) (v / (1 + Math.exp(-v)));
            case GELU -> (float) (0.5 * v * (1 + Erf.erf(v * SQRT_HALF)));
            case GELU_TANH -> (float) (0.5 * v * (1 + Math.tanh(SQRT_TWO_OVER_PI * (v + GELU_CUBIC * v * v * v))));
            case HARDSWISH -> (float) (v * Math.min(Math.max(v + 3, 0), 6) / 6);
        };
    }

    /** Applies the activation to {@code values[from, to)} in place. */
    public void applyInPlace(float[] values, int from, int to) {
        if (kind == Kind.NONE) {
            return;
        }
        for (int i = from; i < to; i++) {
            values[i] = apply(values[i]);
        }
    }

    /** The module as PyTorch prints it, e.g. {@code LeakyReLU(negative_slope=0.2)}. */
    @Override
    public String toString() {
        return switch (kind) {
            case LEAKY_RELU -> "LeakyReLU(negative_slope=" + negativeSlope + ")";
            case GELU_TANH -> "GELU(approximate='tanh')";
            default -> kind.torchName() + "()";
        };
    }
}
