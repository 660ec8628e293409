package dev.jconv.backend.java;

/**
 * Per-thread working memory for the Java kernels, grown on demand and then reused, so a steady stream of calls
 * allocates almost nothing. The pool's worker threads live as long as the backend, and so do their buffers; an
 * application thread that runs a convolution takes part in it (see {@link ParallelRunner}) and keeps its own.
 * Each use has a buffer of its own, since one kernel holds several at once; contents are undefined on return.
 */
final class Scratch {

    /** What a float buffer is for. */
    enum Floats {
        /** A packed B block (Winograd: the transformed input patches). */
        PANEL,
        /** A padded input plane. */
        PLANE,
        /** A block of output sums. */
        SUMS,
        /** A padded copy of a call's input, which the calling thread owns for the call while every task reads it. */
        PADDED_INPUT
    }

    /** What an int buffer is for. */
    enum Ints {
        /** A block's table of input offsets per kernel tap (Winograd: B's row offsets). */
        TAP_OFFSETS,
        /** The output offsets of a block's pixels (Winograd: its tile table). */
        PIXEL_OFFSETS
    }

    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    private final float[][] floats = new float[Floats.values().length][0];
    private final int[][] ints = new int[Ints.values().length][0];

    static Scratch current() {
        return PER_THREAD.get();
    }

    /** At least {@code length} floats for {@code use} (the old contents are not kept when it grows). */
    float[] floats(Floats use, int length) {
        if (floats[use.ordinal()].length < length) {
            floats[use.ordinal()] = new float[length];
        }
        return floats[use.ordinal()];
    }

    /** At least {@code length} ints for {@code use} (the old contents are not kept when it grows). */
    int[] ints(Ints use, int length) {
        if (ints[use.ordinal()].length < length) {
            ints[use.ordinal()] = new int[length];
        }
        return ints[use.ordinal()];
    }
}
