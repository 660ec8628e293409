package dev.jconv.backend.java;

/**
 * The innermost loops of the Java backend, behind one interface so a Vector API implementation can replace the
 * portable one without the convolution code knowing. Both implementations sum in the same order with fused
 * multiply-adds, so they give bit-identical results.
 */
interface MicroKernel {

    /** Output channels one {@link #multiplyTile} call computes at most. */
    int TILE_ROWS = 8;

    /** Pixels one {@link #multiplyTile} call computes: two vectors of the kernel's width (32 for the portable one). */
    int tileColumns();

    /** A short name for logs and benchmark reports. */
    String name();

    /** What the kernel is, for the start-up line: {@code portable}, or the Vector API with its vector width. */
    default String describe() {
        return name();
    }

    /**
     * The matrices of a run of {@link #multiplyTile} calls, which differ only in where each tile starts: A's rows lie
     * {@code aStride} apart, B's row k at {@code bRows[k]} (plus the call's offsets), C's rows {@code cStride} apart.
     */
    record Matrices(float[] a, int aStride, float[] b, int[] bRows, float[] c, int cStride) {}

    /**
     * Adds to {@code c[cOffset + r * cStride + j]} the products {@code a[aOffset + r * aStride + k] * b[bOffset +
     * bRows[bRowsStart + k] + j]} for {@code r < rows <= TILE_ROWS}, {@code j < tileColumns()}, one fused multiply-add
     * per k, k ascending. A sum split into consecutive depth chunks therefore gives bit for bit the result of one call
     * over the whole depth, so every element's result is fixed by its inputs alone, whatever the blocking. (Always
     * accumulating, rather than branching on a flag, also keeps HotSpot from deoptimising the loop when a flag flips.)
     * B's rows are found through a table of offsets rather than a fixed stride, so B can be a packed block (row k at
     * {@code k * width}) or the padded input itself (row k at the input offset of its channel and kernel tap).
     */
    void multiplyTile(Matrices m, int aOffset, int rows, int bOffset, int bRowsStart, int depth, int cOffset);

    /** {@code y[yOffset + i] = fma(weight, x[xOffset + i], y[yOffset + i])} for {@code i < length}. */
    void multiplyAdd(float weight, float[] x, int xOffset, float[] y, int yOffset, int length);

    /** A depthwise filter's taps: {@code weights[offset + t]} multiplies the input shifted by {@code shifts[t]}. */
    record ShiftedTaps(float[] weights, int offset, int[] shifts, int count) {}

    /**
     * {@code y[i] = fma(weights[offset + count - 1], x[shifts[count - 1] + i], ... fma(weights[offset], x[shifts[0] +
     * i], initial))} for {@code i < length}: the taps summed in ascending order into a running value kept in
     * registers, so a depthwise filter stores each output once instead of once per tap.
     */
    void shiftedSum(float initial, ShiftedTaps taps, float[] x, float[] y, int length);
}
