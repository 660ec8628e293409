package dev.jconv.geometry;

/** The input-rank rule both ops share: 4-D batched or 3-D unbatched, as PyTorch's conv modules accept. */
final class InputRules {

    private InputRules() {}

    /**
     * @return true when the input is unbatched (3-D)
     * @throws IllegalArgumentException with PyTorch's message for any other rank
     */
    static boolean checkRank(String op, int[] inputShape) {
        if (inputShape.length != 3 && inputShape.length != 4) {
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to " + op
                    + ", but got input of size: " + Shapes.format(inputShape));
        }
        for (int dim : inputShape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in input of size " + Shapes.format(inputShape));
            }
        }
        return inputShape.length == 3;
    }

    /**
     * PyTorch runs zero-batch and zero-channel inputs but refuses an empty image (H or W of 0) when there is work to
     * do; jconv refuses it always, since no padding mode can give such an image a meaningful border.
     */
    static void checkSpatialNotEmpty(String op, int[] batched) {
        if (batched[2] == 0 || batched[3] == 0) {
            throw new IllegalArgumentException("Only zero batch or zero channel inputs are supported, but got input"
                    + " shape: " + Shapes.format(batched) + " (" + op + " needs H and W of at least 1)");
        }
    }

    /** The 4-D view of a 3-D or 4-D shape (PyTorch unsqueezes an unbatched input to batch 1). */
    static int[] batched(int[] inputShape) {
        return inputShape.length == 4 ? inputShape.clone() : new int[] {1, inputShape[0], inputShape[1], inputShape[2]};
    }
}
