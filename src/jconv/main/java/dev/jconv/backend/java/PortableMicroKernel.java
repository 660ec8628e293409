package dev.jconv.backend.java;

/**
 * The micro-kernel every JVM can run: scalar fused multiply-adds on a 4 x 4 register tile. HotSpot's C2 does not
 * auto-vectorise these loops (array offsets that might alias defeat its SuperWord pass), so the tile keeps 16
 * independent accumulators to stay limited by FMA throughput rather than latency.
 *
 * <p>AXPY-style loops over the tile's 32 columns ({@code c[cRow + j] = fma(w, b[bRow + j], c[cRow + j])}) were
 * measured on JDK 17 and 25 and lost to this tile: C2 vectorises them only when every access has the same
 * (or no) variable offset, which needs per-k copies into scratch rows; a 32-trip loop then runs mostly in its
 * scalar pre- and post-loops; and a body of more than about two rows exceeds C2's unroll limit, so it stays scalar.
 * Only loops several hundred columns long came out ahead, and their speed varied threefold from run to run.
 */
final class PortableMicroKernel implements MicroKernel {

    private static final int BLOCK = 4;
    private static final int TILE_COLUMNS = 32;

    @Override
    public String name() {
        return "portable";
    }

    @Override
    public int tileColumns() {
        return TILE_COLUMNS;
    }

    @Override
    public void multiplyTile(Matrices m, int aOffset, int rows, int bOffset, int bRowsStart, int depth, int cOffset) {
        float[] a = m.a();
        int aStride = m.aStride();
        float[] b = m.b();
        int[] bRows = m.bRows();
        float[] c = m.c();
        int cStride = m.cStride();
        int row = 0;
        for (; row + BLOCK <= rows; row += BLOCK) {
            for (int column = 0; column < TILE_COLUMNS; column += BLOCK) {
                fourRows(
                        a,
                        aOffset + row * aStride,
                        aStride,
                        b,
                        bOffset + column,
                        bRows,
                        bRowsStart,
                        depth,
                        c,
                        cOffset + row * cStride + column,
                        cStride);
            }
        }
        for (; row < rows; row++) {
            for (int column = 0; column < TILE_COLUMNS; column += BLOCK) {
                oneRow(
                        a,
                        aOffset + row * aStride,
                        b,
                        bOffset + column,
                        bRows,
                        bRowsStart,
                        depth,
                        c,
                        cOffset + row * cStride + column);
            }
        }
    }

    private static void fourRows(
            float[] a,
            int aOffset,
            int aStride,
            float[] b,
            int bOffset,
            int[] bRows,
            int bRowsStart,
            int depth,
            float[] c,
            int cOffset,
            int cStride) {
        int r0 = cOffset;
        int r1 = r0 + cStride;
        int r2 = r1 + cStride;
        int r3 = r2 + cStride;
        float c00 = c[r0], c01 = c[r0 + 1];
        float c02 = c[r0 + 2], c03 = c[r0 + 3];
        float c10 = c[r1], c11 = c[r1 + 1];
        float c12 = c[r1 + 2], c13 = c[r1 + 3];
        float c20 = c[r2], c21 = c[r2 + 1];
        float c22 = c[r2 + 2], c23 = c[r2 + 3];
        float c30 = c[r3], c31 = c[r3 + 1];
        float c32 = c[r3 + 2], c33 = c[r3 + 3];
        int a0 = aOffset;
        int a1 = a0 + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        // The four rows are written out, not looped or factored into a helper: the 16 accumulators stay in registers
        // only as separate locals.
        for (int k = 0; k < depth; k++) {
            int bk = bOffset + bRows[bRowsStart + k];
            float b0 = b[bk];
            float b1 = b[bk + 1];
            float b2 = b[bk + 2];
            float b3 = b[bk + 3];
            float w = a[a0 + k];
            c00 = Math.fma(w, b0, c00);
            c01 = Math.fma(w, b1, c01);
            c02 = Math.fma(w, b2, c02);
            c03 = Math.fma(w, b3, c03);
            w = a[a1 + k];
            c10 = Math.fma(w, b0, c10);
            c11 = Math.fma(w, b1, c11);
            c12 = Math.fma(w, b2, c12);
            c13 = Math.fma(w, b3, c13);
            w = a[a2 + k];
            c20 = Math.fma(w, b0, c20);
            c21 = Math.fma(w, b1, c21);
            c22 = Math.fma(w, b2, c22);
            c23 = Math.fma(w, b3, c23);
            w = a[a3 + k];
            c30 = Math.fma(w, b0, c30);
            c31 = Math.fma(w, b1, c31);
            c32 = Math.fma(w, b2, c32);
            c33 = Math.fma(w, b3, c33);
        }
        store(c, r0, c00, c01, c02, c03);
        store(c, r1, c10, c11, c12, c13);
        store(c, r2, c20, c21, c22, c23);
        store(c, r3, c30, c31, c32, c33);
    }

    private static void oneRow(
            float[] a,
            int aOffset,
            float[] b,
            int bOffset,
            int[] bRows,
            int bRowsStart,
            int depth,
            float[] c,
            int cOffset) {
        float c0 = c[cOffset], c1 = c[cOffset + 1];
        float c2 = c[cOffset + 2], c3 = c[cOffset + 3];
        for (int k = 0; k < depth; k++) {
            int bk = bOffset + bRows[bRowsStart + k];
            float w = a[aOffset + k];
            c0 = Math.fma(w, b[bk], c0);
            c1 = Math.fma(w, b[bk + 1], c1);
            c2 = Math.fma(w, b[bk + 2], c2);
            c3 = Math.fma(w, b[bk + 3], c3);
        }
        store(c, cOffset, c0, c1, c2, c3);
    }

    private static void store(float[] c, int offset, float c0, float c1, float c2, float c3) {
        c[offset] = c0;
        c[offset + 1] = c1;
        c[offset + 2] = c2;
        c[offset + 3] = c3;
    }

    @Override
    public void multiplyAdd(float weight, float[] x, int xOffset, float[] y, int yOffset, int length) {
        for (int i = 0; i < length; i++) {
            y[yOffset + i] = Math.fma(weight, x[xOffset + i], y[yOffset + i]);
        }
    }

    @Override
    public void shiftedSum(float initial, ShiftedTaps taps, float[] x, float[] y, int length) {
        shiftedSum(0, initial, taps, x, y, length);
    }

    /** {@link #shiftedSum} for outputs {@code start <= i < end} only; the Vector API kernel's scalar tail. */
    static void shiftedSum(int start, float initial, ShiftedTaps taps, float[] x, float[] y, int end) {
        float[] weights = taps.weights();
        int offset = taps.offset();
        int[] shifts = taps.shifts();
        int count = taps.count();
        for (int i = start; i < end; i++) {
            float sum = initial;
            for (int t = 0; t < count; t++) {
                sum = Math.fma(weights[offset + t], x[shifts[t] + i], sum);
            }
            y[i] = sum;
        }
    }
}
