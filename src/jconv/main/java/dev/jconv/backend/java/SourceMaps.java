package dev.jconv.backend.java;

import dev.jconv.PaddingMode;

/**
 * The per-axis index maps that turn a convolution into a gather: for each output coordinate and kernel tap, the input
 * coordinate it reads, or {@link PaddedIndex#ZERO}. Built once per call, so the inner loops never test for padding.
 */
final class SourceMaps {

    private SourceMaps() {}

    /** Conv2d along one axis: output o reads padded coordinate {@code o * stride - padBefore + tap * dilation}. */
    static int[] convolution(
            int outSize, int kernel, int stride, int padBefore, int dilation, int inSize, PaddingMode mode) {
        int[] map = new int[outSize * kernel];
        for (int out = 0; out < outSize; out++) {
            for (int tap = 0; tap < kernel; tap++) {
                map[out * kernel + tap] = PaddedIndex.source(out * stride - padBefore + tap * dilation, inSize, mode);
            }
        }
        return map;
    }

    /**
     * One sub-pixel phase of a transposed convolution along one axis. Output {@code o = phase + q * stride} receives
     * input i through kernel tap k when {@code o = i * stride - padding + k * dilation}; for a fixed phase only the
     * taps
     * with {@code (phase + padding - k * dilation) % stride == 0} ever do, and through them {@code i = q + shift}.
     *
     * @param taps the phase's taps, from {@link #phaseTaps}
     * @return for grid coordinate q and the t-th tap, at {@code q * taps.length + t}: the input coordinate, or ZERO
     */
    static int[] transposedPhase(
            int gridSize, int phase, int[] taps, int stride, int padding, int dilation, int inSize) {
        int[] map = new int[gridSize * taps.length];
        for (int q = 0; q < gridSize; q++) {
            for (int t = 0; t < taps.length; t++) {
                int source = q + transposedShift(phase, taps[t], stride, padding, dilation);
                map[q * taps.length + t] = source >= 0 && source < inSize ? source : PaddedIndex.ZERO;
            }
        }
        return map;
    }

    /** Through {@code tap} (one of {@link #phaseTaps}), grid coordinate q of {@code phase} reads input q + this. */
    static int transposedShift(int phase, int tap, int stride, int padding, int dilation) {
        return (phase + padding - tap * dilation) / stride;
    }

    /** The kernel taps through which any input reaches outputs of {@code phase}, ascending. */
    static int[] phaseTaps(int phase, int kernel, int stride, int padding, int dilation) {
        int count = 0;
        int[] taps = new int[kernel];
        for (int tap = 0; tap < kernel; tap++) {
            if (Math.floorMod(phase + padding - tap * dilation, stride) == 0) {
                taps[count++] = tap;
            }
        }
        return java.util.Arrays.copyOf(taps, count);
    }

    /**
     * How many outputs of {@code size} fall in {@code phase}: those {@code o < size} with {@code o % stride == phase}.
     */
    static int phaseSize(int size, int phase, int stride) {
        return phase < size ? (size - phase + stride - 1) / stride : 0;
    }
}
