package dev.jconv.backend.java;

/**
 * Per-thread working memory for the Java kernels, grown on demand and then reused, so a steady stream of calls
 * allocates almost nothing. The pool's worker threads live as long as the backend, and so do their buffers; an
 * application thread that runs a convolution takes part in it (see {@link ParallelRunner}) and keeps its own.
 */
final class Scratch {

    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    private float[] panel = new float[0];
    private float[] sums = new float[0];
    private float[] plane = new float[0];
    private int[] pixelOffsets = new int[0];
    private int[] tapOffsets = new int[0];
    private float[] paddedInput = new float[0];

    static Scratch current() {
        return PER_THREAD.get();
    }

    /** At least {@code floats} floats for a packed B block; contents undefined. */
    float[] panel(int floats) {
        panel = atLeast(panel, floats);
        return panel;
    }

    /** At least {@code floats} floats for a padded input plane; contents undefined. */
    float[] plane(int floats) {
        plane = atLeast(plane, floats);
        return plane;
    }

    /** At least {@code floats} floats for a block of output sums; contents undefined. */
    float[] sums(int floats) {
        sums = atLeast(sums, floats);
        return sums;
    }

    /**
     * At least {@code floats} floats for a padded copy of a call's input, which the calling thread owns for the call
     * while every task reads it; contents undefined.
     */
    float[] paddedInput(int floats) {
        paddedInput = atLeast(paddedInput, floats);
        return paddedInput;
    }

    /** At least {@code count} ints for a block's table of input offsets per kernel tap; contents undefined. */
    int[] tapOffsets(int count) {
        tapOffsets = atLeast(tapOffsets, count);
        return tapOffsets;
    }

    /** At least {@code count} ints for the output offsets of a block's pixels; contents undefined. */
    int[] pixelOffsets(int count) {
        pixelOffsets = atLeast(pixelOffsets, count);
        return pixelOffsets;
    }

    /** {@code buffer} when it holds {@code length}, else a new array of that length (the old contents are not kept). */
    private static float[] atLeast(float[] buffer, int length) {
        return buffer.length >= length ? buffer : new float[length];
    }

    private static int[] atLeast(int[] buffer, int length) {
        return buffer.length >= length ? buffer : new int[length];
    }
}
