package dev.jconv.backend.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernel on the Vector API, sized from the CPU's preferred vector (or a narrower one named by
 * {@code jconv.vectorBits}): a tile of 8 output channels by two vectors of pixels. With 512-bit vectors the whole tile
 * lives in sixteen accumulators (AVX-512 has 32 registers); narrower widths run it as two passes of four rows, since
 * sixteen accumulators plus the two pixel vectors and the weight would spill on AVX2's and SSE's 16 registers. Every
 * width sums each element in the same order, so all give bit for bit the portable kernel's results. Loaded only by
 * reflection from {@link MicroKernels}, so the library runs on JVMs started without
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorMicroKernel implements MicroKernel {

    /** Static and final, so C2 treats the species as a constant; a species held in a field defeats intrinsics. */
    private static final VectorSpecies<Float> SPECIES = species(MicroKernels.requestedVectorBits());

    private static final int LANES = SPECIES.length();
    /** The elements past the last whole vector go through the portable loops, so both kernels round them alike. */
    private static final PortableMicroKernel SCALAR_TAIL = new PortableMicroKernel();
    /** The narrowest vector worth using: below it the portable kernel's 16 scalar accumulators do as well. */
    private static final int MIN_BITS = 128;
    /** Widths from which the whole 8-row tile stays in registers (AVX-512's 32 registers). */
    private static final int EIGHT_ROW_BITS = 512;

    /** Refuses construction where the vector would be emulated or is too narrow to beat the portable kernel. */
    VectorMicroKernel() {
        int preferredBits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (SPECIES.vectorBitSize() > preferredBits) {
            throw new UnsupportedOperationException(MicroKernels.VECTOR_BITS_PROPERTY + "=" + SPECIES.vectorBitSize()
                    + " asks for wider vectors than the CPU's " + preferredBits + "-bit ones");
        }
        if (SPECIES.vectorBitSize() < MIN_BITS) {
            throw new UnsupportedOperationException("the CPU's preferred vector has " + SPECIES.vectorBitSize()
                    + " bits; the Vector API kernel needs at least " + MIN_BITS);
        }
    }

    private static VectorSpecies<Float> species(int requestedBits) {
        return requestedBits == 0
                ? FloatVector.SPECIES_PREFERRED
                : VectorSpecies.of(float.class, VectorShape.forBitSize(requestedBits));
    }

    @Override
    public String name() {
        return "vector-api-" + SPECIES.vectorBitSize();
    }

    @Override
    public String describe() {
        return "Vector API, " + LANES + " floats per vector (" + SPECIES.vectorBitSize() + "-bit)";
    }

    @Override
    public int tileColumns() {
        return 2 * LANES;
    }

    /**
     * Rows past {@code rows} repeat the last real row, reading and writing its place in c, instead of branching to
     * a narrower kernel: the extra FMAs are free next to the latency stalls a one-row kernel would have.
     */
    @Override
    public void multiplyTile(Matrices m, int aOffset, int rows, int bOffset, int bRowsStart, int depth, int cOffset) {
        float[] a = m.a();
        float[] b = m.b();
        int[] bRows = m.bRows();
        float[] c = m.c();
        Rows r = new Rows(aOffset, m.aStride(), cOffset, m.cStride(), rows - 1);
        if (rows <= TILE_ROWS / 2) {
            fourRows(a, r, 0, b, bOffset, bRows, bRowsStart, depth, c);
        } else if (SPECIES.vectorBitSize() >= EIGHT_ROW_BITS) {
            eightRows(a, r, b, bOffset, bRows, bRowsStart, depth, c);
        } else {
            fourRows(a, r, 0, b, bOffset, bRows, bRowsStart, depth, c);
            fourRows(a, r, TILE_ROWS / 2, b, bOffset, bRows, bRowsStart, depth, c);
        }
    }

    /** Where tile row i reads A and lives in C, with rows past the last real one clamped to it. */
    private record Rows(int aOffset, int aStride, int cOffset, int cStride, int last) {
        int a(int row) {
            return aOffset + Math.min(row, last) * aStride;
        }

        int c(int row) {
            return cOffset + Math.min(row, last) * cStride;
        }
    }

    private static FloatVector load(float[] c, int offset) {
        return FloatVector.fromArray(SPECIES, c, offset);
    }

    private static void eightRows(
            float[] a, Rows r, float[] b, int bOffset, int[] bRows, int bRowsStart, int depth, float[] c) {
        FloatVector c00 = load(c, r.c(0));
        FloatVector c01 = load(c, r.c(0) + LANES);
        FloatVector c10 = load(c, r.c(1));
        FloatVector c11 = load(c, r.c(1) + LANES);
        FloatVector c20 = load(c, r.c(2));
        FloatVector c21 = load(c, r.c(2) + LANES);
        FloatVector c30 = load(c, r.c(3));
        FloatVector c31 = load(c, r.c(3) + LANES);
        FloatVector c40 = load(c, r.c(4));
        FloatVector c41 = load(c, r.c(4) + LANES);
        FloatVector c50 = load(c, r.c(5));
        FloatVector c51 = load(c, r.c(5) + LANES);
        FloatVector c60 = load(c, r.c(6));
        FloatVector c61 = load(c, r.c(6) + LANES);
        FloatVector c70 = load(c, r.c(7));
        FloatVector c71 = load(c, r.c(7) + LANES);
        int a0 = r.a(0);
        int a1 = r.a(1);
        int a2 = r.a(2);
        int a3 = r.a(3);
        int a4 = r.a(4);
        int a5 = r.a(5);
        int a6 = r.a(6);
        int a7 = r.a(7);
        for (int k = 0; k < depth; k++) {
            int bk = bOffset + bRows[bRowsStart + k];
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
        c00.intoArray(c, r.c(0));
        c01.intoArray(c, r.c(0) + LANES);
        c10.intoArray(c, r.c(1));
        c11.intoArray(c, r.c(1) + LANES);
        c20.intoArray(c, r.c(2));
        c21.intoArray(c, r.c(2) + LANES);
        c30.intoArray(c, r.c(3));
        c31.intoArray(c, r.c(3) + LANES);
        c40.intoArray(c, r.c(4));
        c41.intoArray(c, r.c(4) + LANES);
        c50.intoArray(c, r.c(5));
        c51.intoArray(c, r.c(5) + LANES);
        c60.intoArray(c, r.c(6));
        c61.intoArray(c, r.c(6) + LANES);
        c70.intoArray(c, r.c(7));
        c71.intoArray(c, r.c(7) + LANES);
    }

    /** Rows first..first+3 of the tile. */
    private static void fourRows(
            float[] a, Rows r, int first, float[] b, int bOffset, int[] bRows, int bRowsStart, int depth, float[] c) {
        FloatVector c00 = load(c, r.c(first));
        FloatVector c01 = load(c, r.c(first) + LANES);
        FloatVector c10 = load(c, r.c(first + 1));
        FloatVector c11 = load(c, r.c(first + 1) + LANES);
        FloatVector c20 = load(c, r.c(first + 2));
        FloatVector c21 = load(c, r.c(first + 2) + LANES);
        FloatVector c30 = load(c, r.c(first + 3));
        FloatVector c31 = load(c, r.c(first + 3) + LANES);
        int a0 = r.a(first);
        int a1 = r.a(first + 1);
        int a2 = r.a(first + 2);
        int a3 = r.a(first + 3);
        for (int k = 0; k < depth; k++) {
            int bk = bOffset + bRows[bRowsStart + k];
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
        c00.intoArray(c, r.c(first));
        c01.intoArray(c, r.c(first) + LANES);
        c10.intoArray(c, r.c(first + 1));
        c11.intoArray(c, r.c(first + 1) + LANES);
        c20.intoArray(c, r.c(first + 2));
        c21.intoArray(c, r.c(first + 2) + LANES);
        c30.intoArray(c, r.c(first + 3));
        c31.intoArray(c, r.c(first + 3) + LANES);
    }

    @Override
    public void multiplyAdd(float weight, float[] x, int xOffset, float[] y, int yOffset, int length) {
        FloatVector w = FloatVector.broadcast(SPECIES, weight);
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += LANES) {
            w.fma(FloatVector.fromArray(SPECIES, x, xOffset + i), FloatVector.fromArray(SPECIES, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        SCALAR_TAIL.multiplyAdd(weight, x, xOffset + i, y, yOffset + i, length - i);
    }

    /** Four vectors per pass over the taps, so each weight is loaded once per 4 * LANES outputs. */
    @Override
    public void shiftedSum(float initial, ShiftedTaps taps, float[] x, float[] y, int length) {
        float[] weights = taps.weights();
        int wOffset = taps.offset();
        int[] shifts = taps.shifts();
        int count = taps.count();
        FloatVector start = FloatVector.broadcast(SPECIES, initial);
        int i = 0;
        for (; i + 4 * LANES <= length; i += 4 * LANES) {
            FloatVector s0 = start;
            FloatVector s1 = start;
            FloatVector s2 = start;
            FloatVector s3 = start;
            for (int t = 0; t < count; t++) {
                FloatVector w = FloatVector.broadcast(SPECIES, weights[wOffset + t]);
                int from = shifts[t] + i;
                s0 = w.fma(FloatVector.fromArray(SPECIES, x, from), s0);
                s1 = w.fma(FloatVector.fromArray(SPECIES, x, from + LANES), s1);
                s2 = w.fma(FloatVector.fromArray(SPECIES, x, from + 2 * LANES), s2);
                s3 = w.fma(FloatVector.fromArray(SPECIES, x, from + 3 * LANES), s3);
            }
            s0.intoArray(y, i);
            s1.intoArray(y, i + LANES);
            s2.intoArray(y, i + 2 * LANES);
            s3.intoArray(y, i + 3 * LANES);
        }
        for (; i + LANES <= length; i += LANES) {
            FloatVector sum = start;
            for (int t = 0; t < count; t++) {
                sum = FloatVector.broadcast(SPECIES, weights[wOffset + t])
                        .fma(FloatVector.fromArray(SPECIES, x, shifts[t] + i), sum);
            }
            sum.intoArray(y, i);
        }
        PortableMicroKernel.shiftedSum(i, initial, taps, x, y, length);
    }
}
