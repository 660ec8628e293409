package dev.jconv.backend.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The micro-kernels promise one summation order (k ascending, fused multiply-add from 0), so the Vector API kernel
 * must reproduce the portable one bit for bit, and the portable one must match a plain loop written here.
 */
class MicroKernelsAgreeTest {

    /** The widest tile any kernel has (the portable one's and the 512-bit one's), which the random operands fit. */
    private static final int WIDEST_TILE = 32;

    @Test
    void portableTileIsTheFusedSumInOrder() {
        SplittableRandom random = new SplittableRandom(11);
        MicroKernel kernel = new PortableMicroKernel();
        int columns = kernel.tileColumns();
        for (int round = 0; round < 200; round++) {
            Tile t = Tile.random(random);
            float[] tile = new float[MicroKernel.TILE_ROWS * columns];
            kernel.multiplyTile(t.into(tile, columns), t.aOffset, t.rows, t.bOffset, 0, t.depth, 0);
            for (int r = 0; r < t.rows; r++) {
                for (int j = 0; j < columns; j++) {
                    float sum = 0;
                    for (int k = 0; k < t.depth; k++) {
                        sum = Math.fma(t.a[t.aOffset + r * t.aStride + k], t.b[t.bOffset + t.bRows[k] + j], sum);
                    }
                    assertEquals(sum, tile[r * columns + j], "round " + round + " row " + r);
                }
            }
        }
    }

    /**
     * At the selected width: the JVM's preferred one, or the one {@code jconv.vectorBits} forces (CI runs this class
     * again with {@code -XX:MaxVectorSize=32}, and {@code ForcedVectorWidthTest} in child JVMs at 128 and 256 bits).
     */
    @Test
    void vectorKernelMatchesPortableBitForBit() {
        MicroKernel vector = MicroKernels.selected();
        Assumptions.assumeTrue(vector instanceof VectorMicroKernel, "Vector API kernel not available");
        MicroKernel portable = new PortableMicroKernel();
        int columns = vector.tileColumns();
        SplittableRandom random = new SplittableRandom(12);
        for (int round = 0; round < 200; round++) {
            Tile t = Tile.random(random);
            // Both write into rows WIDEST_TILE apart; only the vector kernel's columns are compared.
            float[] expected = new float[MicroKernel.TILE_ROWS * WIDEST_TILE];
            float[] actual = new float[expected.length];
            portable.multiplyTile(t.into(expected, WIDEST_TILE), t.aOffset, t.rows, t.bOffset, 0, t.depth, 0);
            vector.multiplyTile(t.into(actual, WIDEST_TILE), t.aOffset, t.rows, t.bOffset, 0, t.depth, 0);
            for (int r = 0; r < t.rows; r++) {
                assertArrayEquals(
                        Arrays.copyOfRange(expected, r * WIDEST_TILE, r * WIDEST_TILE + columns),
                        Arrays.copyOfRange(actual, r * WIDEST_TILE, r * WIDEST_TILE + columns),
                        vector.name() + " tile round " + round + " row " + r);
            }
            for (int r = t.rows; r < MicroKernel.TILE_ROWS; r++) {
                for (int j = 0; j < WIDEST_TILE; j++) {
                    assertEquals(0f, actual[r * WIDEST_TILE + j], "row " + r + " is past the tile's rows");
                }
            }

            int length = random.nextInt(70);
            int offset = random.nextInt(5);
            float weight = (float) random.nextDouble();
            float[] y1 = JavaBackendMatchesReferenceTest.uniform(random, length + offset);
            float[] y2 = y1.clone();
            portable.multiplyAdd(weight, t.b, offset, y1, offset, length);
            vector.multiplyAdd(weight, t.b, offset, y2, offset, length);
            assertArrayEquals(y1, y2, "multiplyAdd round " + round);

            Stencil s = Stencil.random(random);
            float[] z1 = new float[s.length + 3];
            float[] z2 = new float[z1.length];
            portable.shiftedSum(s.initial, s.taps(), s.x, z1, s.length);
            vector.shiftedSum(s.initial, s.taps(), s.x, z2, s.length);
            assertArrayEquals(z1, z2, "shiftedSum round " + round + ", length " + s.length);
        }
    }

    @Test
    void portableShiftedSumIsTheFusedSumOfTheTapsInOrder() {
        SplittableRandom random = new SplittableRandom(14);
        MicroKernel kernel = new PortableMicroKernel();
        for (int round = 0; round < 100; round++) {
            Stencil s = Stencil.random(random);
            float[] y = new float[s.length + 3];
            kernel.shiftedSum(s.initial, s.taps(), s.x, y, s.length);
            for (int i = 0; i < s.length; i++) {
                float sum = s.initial;
                for (int t = 0; t < s.shifts.length; t++) {
                    sum = Math.fma(s.weights[1 + t], s.x[s.shifts[t] + i], sum);
                }
                assertEquals(sum, y[i], "round " + round + " element " + i);
            }
            assertArrayEquals(
                    new float[3], Arrays.copyOfRange(y, s.length, y.length), "nothing is written past length");
        }
    }

    @Test
    void depthChunksWithAccumulateEqualOneCall() {
        SplittableRandom random = new SplittableRandom(13);
        for (MicroKernel kernel : List.of(new PortableMicroKernel(), MicroKernels.selected())) {
            for (int round = 0; round < 100; round++) {
                Tile t = Tile.random(random);
                int split = random.nextInt(t.depth + 1);
                int stride = WIDEST_TILE + 8;
                float[] whole = new float[MicroKernel.TILE_ROWS * stride];
                float[] chunked = new float[whole.length];
                kernel.multiplyTile(t.into(whole, stride), t.aOffset, t.rows, t.bOffset, 0, t.depth, 0);
                MicroKernel.Matrices parts = t.into(chunked, stride);
                kernel.multiplyTile(parts, t.aOffset, t.rows, t.bOffset, 0, split, 0);
                kernel.multiplyTile(parts, t.aOffset + split, t.rows, t.bOffset, split, t.depth - split, 0);
                int used = t.rows * stride;
                assertArrayEquals(
                        Arrays.copyOf(whole, used),
                        Arrays.copyOf(chunked, used),
                        kernel.name() + " round " + round + " split " + split + " of " + t.depth);
            }
        }
    }

    /**
     * Random operands for one shiftedSum call: up to 12 taps at shifts up to 70, lengths from 0 to past four vectors
     * of 512 bits, so the four-vector loop, the one-vector loop and the scalar tail all run; weights start at 1, and
     * no shift is 0 or 1, so reading x from its start is a mistake a test sees.
     */
    private record Stencil(float initial, float[] weights, int[] shifts, float[] x, int length) {
        MicroKernel.ShiftedTaps taps() {
            return new MicroKernel.ShiftedTaps(weights, 1, shifts, shifts.length);
        }

        static Stencil random(SplittableRandom random) {
            int taps = 1 + random.nextInt(12);
            int[] shifts = new int[taps];
            for (int t = 0; t < taps; t++) {
                shifts[t] = 2 + random.nextInt(70);
            }
            int length = random.nextInt(150);
            return new Stencil(
                    (float) random.nextDouble(),
                    JavaBackendMatchesReferenceTest.uniform(random, taps + 1),
                    shifts,
                    JavaBackendMatchesReferenceTest.uniform(random, 2 + 70 + length),
                    length);
        }
    }

    /** Random operands for one tile call, with offsets and strides that are not multiples of the vector width. */
    private record Tile(float[] a, int aOffset, int aStride, int rows, float[] b, int bOffset, int[] bRows, int depth) {
        /** These operands, with C's rows {@code cStride} apart in {@code c}. */
        MicroKernel.Matrices into(float[] c, int cStride) {
            return new MicroKernel.Matrices(a, aStride, b, bRows, c, cStride);
        }

        static Tile random(SplittableRandom random) {
            int rows = 1 + random.nextInt(MicroKernel.TILE_ROWS);
            int depth = random.nextInt(60);
            int aStride = depth + random.nextInt(3);
            int aOffset = random.nextInt(4);
            int bStride = WIDEST_TILE + random.nextInt(20);
            int bOffset = random.nextInt(4);
            float[] a = JavaBackendMatchesReferenceTest.uniform(random, aOffset + (long) rows * aStride + depth);
            float[] b = JavaBackendMatchesReferenceTest.uniform(
                    random, bOffset + (long) Math.max(depth, 1) * bStride + 8 + WIDEST_TILE + 80);
            // B's rows at uneven distances, as when they are read in place from a padded input.
            int[] bRows = new int[depth];
            for (int k = 0; k < depth; k++) {
                bRows[k] = k * bStride + random.nextInt(8);
            }
            return new Tile(a, aOffset, aStride, rows, b, bOffset, bRows, depth);
        }
    }
}
