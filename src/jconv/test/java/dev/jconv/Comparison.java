package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Test helpers for comparing outputs of two backends and for reproducible random inputs. */
public final class Comparison {

    private Comparison() {}

    /** A host tensor of uniform values in [-1, 1) from {@code seed}. */
    public static Tensor randomTensor(long seed, int... shape) {
        Random random = new Random(seed);
        float[] data = new float[Math.toIntExact(Tensor.zeros(shape).numel())];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() * 2 - 1;
        }
        return Tensor.of(data, shape);
    }

    /**
     * Fails unless {@code actual} matches {@code expected} elementwise within {@code |a - e| <= tolerance * (1 + |e|)},
     * naming the first bad index and {@code what}.
     */
    public static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape of " + what);
        assertClose(expected.toArray(), actual.toArray(), tolerance, what);
    }

    /** As {@link #assertClose(Tensor, Tensor, double, String)}, for raw arrays of the same length. */
    public static void assertClose(float[] e, float[] a, double tolerance, String what) {
        assertArrayEquals(new int[] {e.length}, new int[] {a.length}, "length of " + what);
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= tolerance * (1 + Math.abs(e[i])))) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (tolerance " + tolerance + ")");
            }
        }
    }
}
