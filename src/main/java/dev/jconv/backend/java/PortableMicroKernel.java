package dev.jconv.backend.java;

/**
 * The micro-kernel every JVM can run: scalar fused multiply-adds on a 4 x 4 register tile. HotSpot's C2 does not
 * auto-vectorise these loops (array offsets that might alias defeat its SuperWord pass), so the tile keeps 16
 * independent accumulators to stay limited by FMA throughput rather than latency.
 */
final class PortableMicroKernel implements MicroKernel {

    private static final int BLOCK = 4;

    @Override
    public String name() {
        return "portable";
    }

    @Override
    public void multiplyTile(float[] a, int aOffset, int aStride, int rows, float[] b, int bOffset, int bStride,
                             int depth, float[] tile) {
        int row = 0;
        for (; row + BLOCK <= rows; row += BLOCK) {
            for (int column = 0; column < TILE_COLUMNS; column += BLOCK) {
                fourRows(a, aOffset + row * aStride, aStride, b, bOffset + column, bStride, depth, tile,
                        row * TILE_COLUMNS + column);
            }
        }
        for (; row < rows; row++) {
            for (int column = 0; column < TILE_COLUMNS; column += BLOCK) {
                oneRow(a, aOffset + row * aStride, b, bOffset + column, bStride, depth, tile,
                        row * TILE_COLUMNS + column);
            }
        }
    }

    private static void fourRows(float[] a, int aOffset, int aStride, float[] b, int bOffset, int bStride, int depth,
                                 float[] tile, int tileOffset) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int a0 = aOffset;
        int a1 = a0 + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        for (int k = 0, bk = bOffset; k < depth; k++, bk += bStride) {
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
        store(tile, tileOffset, c00, c01, c02, c03);
        store(tile, tileOffset + TILE_COLUMNS, c10, c11, c12, c13);
        store(tile, tileOffset + 2 * TILE_COLUMNS, c20, c21, c22, c23);
        store(tile, tileOffset + 3 * TILE_COLUMNS, c30, c31, c32, c33);
    }

    private static void oneRow(float[] a, int aOffset, float[] b, int bOffset, int bStride, int depth, float[] tile,
                               int tileOffset) {
        float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (int k = 0, bk = bOffset; k < depth; k++, bk += bStride) {
            float w = a[aOffset + k];
            c0 = Math.fma(w, b[bk], c0);
            c1 = Math.fma(w, b[bk + 1], c1);
            c2 = Math.fma(w, b[bk + 2], c2);
            c3 = Math.fma(w, b[bk + 3], c3);
        }
        store(tile, tileOffset, c0, c1, c2, c3);
    }

    private static void store(float[] tile, int offset, float c0, float c1, float c2, float c3) {
        tile[offset] = c0;
        tile[offset + 1] = c1;
        tile[offset + 2] = c2;
        tile[offset + 3] = c3;
    }

    @Override
    public void multiplyAdd(float weight, float[] x, int xOffset, float[] y, int yOffset, int length) {
        for (int i = 0; i < length; i++) {
            y[yOffset + i] = Math.fma(weight, x[xOffset + i], y[yOffset + i]);
        }
    }
}
