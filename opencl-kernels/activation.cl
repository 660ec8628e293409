/*
 * The fused epilogue's activation, chosen at build time by ACTIVATION (the ordinal of dev.jconv.Activation.Kind) and
 * applied to each output value after the bias, just before the store. ACTIVATE works on float and on every floatN.
 * NaN stays NaN, as in PyTorch: the clamping forms keep x where isnan(x).
 *
 * Required defines: ACTIVATION; NEGATIVE_SLOPE (a float literal) when ACTIVATION is LeakyReLU.
 */

#define ACTIVATION_NONE 0
#define ACTIVATION_RELU 1
#define ACTIVATION_LEAKY_RELU 2
#define ACTIVATION_RELU6 3
#define ACTIVATION_SIGMOID 4
#define ACTIVATION_TANH 5
#define ACTIVATION_SILU 6
#define ACTIVATION_GELU 7
#define ACTIVATION_GELU_TANH 8
#define ACTIVATION_HARDSWISH 9

#if ACTIVATION == ACTIVATION_NONE
#define ACTIVATE(x) (x)
#elif ACTIVATION == ACTIVATION_RELU
#define ACTIVATE(x) select(fmax((x), 0.0f), (x), isnan(x))
#elif ACTIVATION == ACTIVATION_LEAKY_RELU
#define ACTIVATE(x) select((x), (x) * NEGATIVE_SLOPE, (x) < 0.0f)
#elif ACTIVATION == ACTIVATION_RELU6
#define ACTIVATE(x) select(fmin(fmax((x), 0.0f), 6.0f), (x), isnan(x))
#elif ACTIVATION == ACTIVATION_SIGMOID
#define ACTIVATE(x) (1.0f / (1.0f + exp(-(x))))
#elif ACTIVATION == ACTIVATION_TANH
#define ACTIVATE(x) tanh(x)
#elif ACTIVATION == ACTIVATION_SILU
#define ACTIVATE(x) ((x) / (1.0f + exp(-(x))))
#elif ACTIVATION == ACTIVATION_GELU
#define ACTIVATE(x) (0.5f * (x) * (1.0f + erf((x) * M_SQRT1_2_F)))
#elif ACTIVATION == ACTIVATION_GELU_TANH
#define ACTIVATE(x) (0.5f * (x) * (1.0f + tanh(0.7978845608028654f * ((x) + 0.044715f * (x) * (x) * (x)))))
#elif ACTIVATION == ACTIVATION_HARDSWISH
#define ACTIVATE(x) ((x) * fmin(fmax((x) + 3.0f, 0.0f), 6.0f) / 6.0f)
#else
#error "unknown ACTIVATION"
#endif
