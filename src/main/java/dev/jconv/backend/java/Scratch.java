package dev.jconv.backend.java;

/**
 * Per-thread working memory for the Java kernels, grown on demand and then reused, so a steady stream of calls
 * allocates almost nothing. The pool's worker threads live as long as the backend, and so do their buffers.
 */
final class Scratch {

    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    private float[] panel = new float[0];
    private float[] plane = new float[0];
    private final float[] tile = new float[MicroKernel.TILE_ROWS * MicroKernel.TILE_COLUMNS];
    private final int[] pixelOffsets = new int[MicroKernel.TILE_COLUMNS];

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

    /** One micro-kernel result tile. */
    float[] tile() {
        return tile;
    }

    /** Output offsets of one tile's pixels. */
    int[] pixelOffsets() {
        return pixelOffsets;
    }
}
