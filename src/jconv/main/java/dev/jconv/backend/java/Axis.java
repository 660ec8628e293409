package dev.jconv.backend.java;

import dev.jconv.PaddingMode;
import dev.jconv.geometry.ConvGeometry;
import java.util.Arrays;

/**
 * One spatial axis of a call (rows or columns), with the per-axis index maps that turn a convolution into a gather:
 * for each output coordinate and kernel tap, the input coordinate it reads, or {@link PaddedIndex#ZERO}. Built once
 * per call, so the inner loops never test for padding.
 *
 * @param padding the padding before the first input (Conv2d: top or left; ConvTranspose2d: its symmetric padding)
 */
record Axis(int inSize, int outSize, int kernel, int stride, int padding, int dilation) {

    /** The rows of {@code g}, with {@code padding} before the first input row. */
    static Axis rows(ConvGeometry g, int padding) {
        return new Axis(g.inHeight(), g.outHeight(), g.kernelHeight(), g.strideHeight(), padding, g.dilationHeight());
    }

    /** The columns of {@code g}, with {@code padding} before the first input column. */
    static Axis columns(ConvGeometry g, int padding) {
        return new Axis(g.inWidth(), g.outWidth(), g.kernelWidth(), g.strideWidth(), padding, g.dilationWidth());
    }

    /** Conv2d: output o reads padded coordinate {@code o * stride - padding + tap * dilation}. */
    int[] convolution(PaddingMode mode) {
        int[] map = new int[outSize * kernel];
        for (int out = 0; out < outSize; out++) {
            for (int tap = 0; tap < kernel; tap++) {
                map[out * kernel + tap] = PaddedIndex.source(out * stride - padding + tap * dilation, inSize, mode);
            }
        }
        return map;
    }

    /**
     * One sub-pixel phase of a transposed convolution. Output {@code o = phase + q * stride} receives input i through
     * kernel tap k when {@code o = i * stride - padding + k * dilation}; for a fixed phase only the taps with
     * {@code (phase + padding - k * dilation) % stride == 0} ever do, and through them {@code i = q + shift}.
     *
     * @param taps the phase's taps, from {@link #phaseTaps}
     * @return for grid coordinate q and the t-th tap, at {@code q * taps.length + t}: the input coordinate, or ZERO
     */
    int[] transposedPhase(int phase, int[] taps) {
        int gridSize = phaseSize(phase);
        int[] map = new int[gridSize * taps.length];
        for (int q = 0; q < gridSize; q++) {
            for (int t = 0; t < taps.length; t++) {
                int source = q + transposedShift(phase, taps[t]);
                map[q * taps.length + t] = source >= 0 && source < inSize ? source : PaddedIndex.ZERO;
            }
        }
        return map;
    }

    /** Through {@code tap} (one of {@link #phaseTaps}), grid coordinate q of {@code phase} reads input q + this. */
    int transposedShift(int phase, int tap) {
        return (phase + padding - tap * dilation) / stride;
    }

    /** The kernel taps through which any input reaches outputs of {@code phase}, ascending. */
    int[] phaseTaps(int phase) {
        int count = 0;
        int[] taps = new int[kernel];
        for (int tap = 0; tap < kernel; tap++) {
            if (Math.floorMod(phase + padding - tap * dilation, stride) == 0) {
                taps[count++] = tap;
            }
        }
        return Arrays.copyOf(taps, count);
    }

    /** How many outputs fall in {@code phase}: those {@code o < outSize} with {@code o % stride == phase}. */
    int phaseSize(int phase) {
        return phase < outSize ? (outSize - phase + stride - 1) / stride : 0;
    }
}
