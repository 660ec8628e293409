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
    private float[] phaseWeights = new float[0];
    private int[] tapOffsets = new int[0];
    private float[] paddedInput = new float[0];

    static Scratch current() {
        return PER_THREAD.get();
    }

    /** At least {@code floats} floats for a packed B block; contents undefined. */
    float[] panel(int floats) {
        if (panel.length < floats) {
            panel = new float[floats];
        }
        return panel;
    }

    /** At least {@code floats} floats for a padded input plane; contents undefined. */
    float[] plane(int floats) {
        if (plane.length < floats) {
            plane = new float[floats];
        }
        return plane;
    }

    /** At least {@code floats} floats for a block of output sums; contents undefined. */
    float[] sums(int floats) {
        if (sums.length < floats) {
            sums = new float[floats];
        }
        return sums;
    }

    /**
     * At least {@code floats} floats for the weight matrices of a transposed convolution's phases, which the calling
     * thread owns for the call while every task reads them; contents undefined.
     */
    float[] phaseWeights(int floats) {
        if (phaseWeights.length < floats) {
            phaseWeights = new float[floats];
        }
        return phaseWeights;
    }

    /**
     * At least {@code floats} floats for a padded copy of a call's input, which the calling thread owns for the call
     * while every task reads it; contents undefined.
     */
    float[] paddedInput(int floats) {
        if (paddedInput.length < floats) {
            paddedInput = new float[floats];
        }
        return paddedInput;
    }

    /** At least {@code count} ints for a block's table of input offsets per kernel tap; contents undefined. */
    int[] tapOffsets(int count) {
        if (tapOffsets.length < count) {
            tapOffsets = new int[count];
        }
        return tapOffsets;
    }

    /** At least {@code count} ints for the output offsets of a block's pixels; contents undefined. */
    int[] pixelOffsets(int count) {
        if (pixelOffsets.length < count) {
            pixelOffsets = new int[count];
        }
        return pixelOffsets;
    }
}
