package dev.jconv;

/**
 * How a {@link Conv2d} computes its sums, chosen on the builder ({@link Conv2d.Builder#algorithm}).
 *
 * <p>{@link #EXACT}, the default, sums the products of the definition (PyTorch's result within 1e-4 on every golden
 * file). {@link #WINOGRAD} is Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, 2015): a 3x3 stride-1
 * convolution computed on 4x4 transforms of the input and the weight, with 16 multiplies per 2x2 output block and
 * input channel instead of 36. It changes the rounding, not the meaning. Measured on 2026-11-30: on the 50 golden
 * cases it applies to (3x3, stride 1, dilation 1; every padding mode, groups, bias; {@code WinogradGoldenTest}), its
 * largest difference from PyTorch is 7.2e-7, against 1.4e-6 for the exact path on the same cases; on resnet3x3's
 * shape (64 to 64 channels, 56x56, inputs from a standard normal) it differs from the exact path by at most 3.0e-6.
 * Results stay deterministic: bitwise the same run to run. On the development VM (2 cores, AVX-512) it takes resnet3x3
 * from 1.39 to 1.18-1.28 ms per call (medians of interleaved runs); a speed-up that grows with the channel count, since
 * the input and output transforms cost per channel what the products cost per channel pair.
 *
 * <p>The Java backend runs it; other backends run the exact kernels for a Winograd module, and say so once in the
 * log.
 */
public enum Conv2dAlgorithm {
    /** The sum of products as defined; the default. */
    EXACT,
    /** Winograd F(2x2, 3x3): only for kernel_size 3, stride 1 and dilation 1. */
    WINOGRAD;

    /** True when this algorithm can compute a convolution with these hyper-parameters. */
    public boolean appliesTo(IntPair kernelSize, IntPair stride, IntPair dilation) {
        IntPair one = IntPair.of(1);
        return this == EXACT || (kernelSize.equals(IntPair.of(3)) && stride.equals(one) && dilation.equals(one));
    }

    /** Fails, naming the values and the rule, when this algorithm cannot compute such a convolution. */
    void checkApplies(IntPair kernelSize, IntPair stride, IntPair dilation) {
        if (!appliesTo(kernelSize, stride, dilation)) {
            throw new IllegalArgumentException("algorithm " + this + " computes 3x3 convolutions with stride 1 and"
                    + " dilation 1 only, but got kernel_size=" + kernelSize + ", stride=" + stride + ", dilation="
                    + dilation);
        }
    }
}
