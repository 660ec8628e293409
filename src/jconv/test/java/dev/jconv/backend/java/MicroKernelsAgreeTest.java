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

    @Test
    void portableTileIsTheFusedSumInOrder() {
        SplittableRandom random = new SplittableRandom(11);
        MicroKernel kernel = new PortableMicroKernel();
        for (int round = 0; round < 200; round++) {
            Tile t = Tile.random(random);
            float[] tile = new float[MicroKernel.TILE_ROWS * MicroKernel.TILE_COLUMNS];
            kernel.multiplyTile(t.a, t.aOffset, t.aStride, t.rows, t.b, t.bOffset, t.bStride, t.depth, tile, 0,
                    MicroKernel.TILE_COLUMNS);
            for (int r = 0; r < t.rows; r++) {
                for (int j = 0; j < MicroKernel.TILE_COLUMNS; j++) {
                    float sum = 0;
                    for (int k = 0; k < t.depth; k++) {
                        sum = Math.fma(t.a[t.aOffset + r * t.aStride + k], t.b[t.bOffset + k * t.bStride + j], sum);
                    }
                    assertEquals(sum, tile[r * MicroKernel.TILE_COLUMNS + j], "round " + round + " row " + r);
                }
            }
        }
    }

    @Test
    void vectorKernelMatchesPortableBitForBit() {
        MicroKernel vector = MicroKernels.selected();
        Assumptions.assumeTrue(vector instanceof VectorMicroKernel, "Vector API kernel not available");
        MicroKernel portable = new PortableMicroKernel();
        SplittableRandom random = new SplittableRandom(12);
        for (int round = 0; round < 200; round++) {
            Tile t = Tile.random(random);
            float[] expected = new float[MicroKernel.TILE_ROWS * MicroKernel.TILE_COLUMNS];
            float[] actual = new float[expected.length];
            portable.multiplyTile(t.a, t.aOffset, t.aStride, t.rows, t.b, t.bOffset, t.bStride, t.depth, expected, 0,
                    MicroKernel.TILE_COLUMNS);
            vector.multiplyTile(t.a, t.aOffset, t.aStride, t.rows, t.b, t.bOffset, t.bStride, t.depth, actual, 0,
                    MicroKernel.TILE_COLUMNS);
            int used = t.rows * MicroKernel.TILE_COLUMNS;
            assertArrayEquals(Arrays.copyOf(expected, used), Arrays.copyOf(actual, used), "tile round " + round);

            int length = random.nextInt(70);
            int offset = random.nextInt(5);
            float weight = (float) random.nextDouble();
            float[] y1 = JavaBackendMatchesReferenceTest.uniform(random, length + offset);
            float[] y2 = y1.clone();
            portable.multiplyAdd(weight, t.b, offset, y1, offset, length);
            vector.multiplyAdd(weight, t.b, offset, y2, offset, length);
            assertArrayEquals(y1, y2, "multiplyAdd round " + round);
        }
    }

    @Test
    void depthChunksWithAccumulateEqualOneCall() {
        SplittableRandom random = new SplittableRandom(13);
        for (MicroKernel kernel : List.of(new PortableMicroKernel(), MicroKernels.selected())) {
            for (int round = 0; round < 100; round++) {
                Tile t = Tile.random(random);
                int split = random.nextInt(t.depth + 1);
                int stride = MicroKernel.TILE_COLUMNS + 8;
                float[] whole = new float[MicroKernel.TILE_ROWS * stride];
                float[] chunked = new float[whole.length];
                kernel.multiplyTile(t.a, t.aOffset, t.aStride, t.rows, t.b, t.bOffset, t.bStride, t.depth, whole, 0,
                        stride);
                kernel.multiplyTile(t.a, t.aOffset, t.aStride, t.rows, t.b, t.bOffset, t.bStride, split, chunked, 0,
                        stride);
                kernel.multiplyTile(t.a, t.aOffset + split, t.aStride, t.rows, t.b, t.bOffset + split * t.bStride,
                        t.bStride, t.depth - split, chunked, 0, stride);
                int used = t.rows * stride;
                assertArrayEquals(Arrays.copyOf(whole, used), Arrays.copyOf(chunked, used),
                        kernel.name() + " round " + round + " split " + split + " of " + t.depth);
            }
        }
    }

    /** Random operands for one tile call, with offsets and strides that are not multiples of the vector width. */
    private record Tile(float[] a, int aOffset, int aStride, int rows, float[] b, int bOffset, int bStride,
                        int depth) {
        static Tile random(SplittableRandom random) {
            int rows = 1 + random.nextInt(MicroKernel.TILE_ROWS);
            int depth = random.nextInt(60);
            int aStride = depth + random.nextInt(3);
            int aOffset = random.nextInt(4);
            int bStride = MicroKernel.TILE_COLUMNS + random.nextInt(20);
            int bOffset = random.nextInt(4);
            float[] a = JavaBackendMatchesReferenceTest.uniform(random, aOffset + (long) rows * aStride + depth);
            float[] b = JavaBackendMatchesReferenceTest.uniform(random,
                    bOffset + (long) Math.max(depth, 1) * bStride + MicroKernel.TILE_COLUMNS + 80);
            return new Tile(a, aOffset, aStride, rows, b, bOffset, bStride, depth);
        }
    }
}
