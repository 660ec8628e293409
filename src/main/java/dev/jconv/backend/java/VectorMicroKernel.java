package dev.jconv.backend.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernel on the Vector API: an 8 x 32 tile held in sixteen 512-bit accumulators, one broadcast weight
 * times two pixel vectors per step. Loaded only by reflection from {@link MicroKernels}, so the library runs on JVMs
 * started without {@code --add-modules jdk.incubator.vector}.
 */
final class VectorMicroKernel implements MicroKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_512;
    private static final int LANES = 16;

    /** Refuses construction where 512-bit vectors would be emulated, which is slower than the portable kernel. */
    VectorMicroKernel() {
        if (FloatVector.SPECIES_PREFERRED.length() < LANES) {
            throw new UnsupportedOperationException("the CPU's preferred vector holds "
                    + FloatVector.SPECIES_PREFERRED.length() + " floats; the Vector API kernel needs " + LANES);
        }
    }

    @Override
    public String name() {
        return "vector-api";
    }

    /**
     * Rows past {@code rows} repeat the last real row instead of branching to a narrower kernel: the extra FMAs are
     * free next to the latency stalls a one-row kernel would have, and the caller ignores those tile rows.
     */
    @Override
    public void multiplyTile(float[] a, int aOffset, int aStride, int rows, float[] b, int bOffset, int bStride,
                             int depth, float[] tile) {
        int last = rows - 1;
        if (rows <= TILE_ROWS / 2) {
            fourRows(a, aOffset, aStride, last, b, bOffset, bStride, depth, tile);
        } else {
            eightRows(a, aOffset, aStride, last, b, bOffset, bStride, depth, tile);
        }
    }

    private static void eightRows(float[] a, int aOffset, int aStride, int last, float[] b, int bOffset, int bStride,
                                 int depth,
                                  float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero, c50 = zero, c51 = zero, c60 = zero, c61 = zero, c70 = zero, c71 = zero;
        int a0 = aOffset + Math.min(0, last) * aStride;
        int a1 = aOffset + Math.min(1, last) * aStride;
        int a2 = aOffset + Math.min(2, last) * aStride;
        int a3 = aOffset + Math.min(3, last) * aStride;
        int a4 = aOffset + Math.min(4, last) * aStride;
        int a5 = aOffset + Math.min(5, last) * aStride;
        int a6 = aOffset + Math.min(6, last) * aStride;
        int a7 = aOffset + Math.min(7, last) * aStride;
        for (int k = 0, bk = bOffset; k < depth; k++, bk += bStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bk + LANES);
            FloatVector w = FloatVector.broadcast(SPECIES, a[a0 + k]);
            c00 = w.fma(b0, c00);
            c01 = w.fma(b1, c01);
            w = FloatVector.broadcast(SPECIES, a[a1 + k]);
            c10 = w.fma(b0, c10);
            c11 = w.fma(b1, c11);
            w = FloatVector.broadcast(SPECIES, a[a2 + k]);
            c20 = w.fma(b0, c20);
            c21 = w.fma(b1, c21);
            w = FloatVector.broadcast(SPECIES, a[a3 + k]);
            c30 = w.fma(b0, c30);
            c31 = w.fma(b1, c31);
            w = FloatVector.broadcast(SPECIES, a[a4 + k]);
            c40 = w.fma(b0, c40);
            c41 = w.fma(b1, c41);
            w = FloatVector.broadcast(SPECIES, a[a5 + k]);
            c50 = w.fma(b0, c50);
            c51 = w.fma(b1, c51);
            w = FloatVector.broadcast(SPECIES, a[a6 + k]);
            c60 = w.fma(b0, c60);
            c61 = w.fma(b1, c61);
            w = FloatVector.broadcast(SPECIES, a[a7 + k]);
            c70 = w.fma(b0, c70);
            c71 = w.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, TILE_COLUMNS);
        c11.intoArray(tile, TILE_COLUMNS + LANES);
        c20.intoArray(tile, 2 * TILE_COLUMNS);
        c21.intoArray(tile, 2 * TILE_COLUMNS + LANES);
        c30.intoArray(tile, 3 * TILE_COLUMNS);
        c31.intoArray(tile, 3 * TILE_COLUMNS + LANES);
        c40.intoArray(tile, 4 * TILE_COLUMNS);
        c41.intoArray(tile, 4 * TILE_COLUMNS + LANES);
        c50.intoArray(tile, 5 * TILE_COLUMNS);
        c51.intoArray(tile, 5 * TILE_COLUMNS + LANES);
        c60.intoArray(tile, 6 * TILE_COLUMNS);
        c61.intoArray(tile, 6 * TILE_COLUMNS + LANES);
        c70.intoArray(tile, 7 * TILE_COLUMNS);
        c71.intoArray(tile, 7 * TILE_COLUMNS + LANES);
    }

    private static void fourRows(float[] a, int aOffset, int aStride, int last, float[] b, int bOffset, int bStride,
                                 int depth,
                                 float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        int a0 = aOffset + Math.min(0, last) * aStride;
        int a1 = aOffset + Math.min(1, last) * aStride;
        int a2 = aOffset + Math.min(2, last) * aStride;
        int a3 = aOffset + Math.min(3, last) * aStride;
        for (int k = 0, bk = bOffset; k < depth; k++, bk += bStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bk + LANES);
            FloatVector w = FloatVector.broadcast(SPECIES, a[a0 + k]);
            c00 = w.fma(b0, c00);
            c01 = w.fma(b1, c01);
            w = FloatVector.broadcast(SPECIES, a[a1 + k]);
            c10 = w.fma(b0, c10);
            c11 = w.fma(b1, c11);
            w = FloatVector.broadcast(SPECIES, a[a2 + k]);
            c20 = w.fma(b0, c20);
            c21 = w.fma(b1, c21);
            w = FloatVector.broadcast(SPECIES, a[a3 + k]);
            c30 = w.fma(b0, c30);
            c31 = w.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, TILE_COLUMNS);
        c11.intoArray(tile, TILE_COLUMNS + LANES);
        c20.intoArray(tile, 2 * TILE_COLUMNS);
        c21.intoArray(tile, 2 * TILE_COLUMNS + LANES);
        c30.intoArray(tile, 3 * TILE_COLUMNS);
        c31.intoArray(tile, 3 * TILE_COLUMNS + LANES);
    }

    @Override
    public void multiplyAdd(float weight, float[] x, int xOffset, float[] y, int yOffset, int length) {
        FloatVector w = FloatVector.broadcast(SPECIES, weight);
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += LANES) {
            w.fma(FloatVector.fromArray(SPECIES, x, xOffset + i), FloatVector.fromArray(SPECIES, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        if (i < length) {
            VectorMask<Float> tail = SPECIES.indexInRange(i, length);
            w.fma(FloatVector.fromArray(SPECIES, x, xOffset + i, tail),
                    FloatVector.fromArray(SPECIES, y, yOffset + i, tail)).intoArray(y, yOffset + i, tail);
        }
    }
}
