package dev.jconv.geometry;

/** The input rules both ops share, checked in PyTorch's order, each with PyTorch's message. */
final class InputRules {

    private InputRules() {}

    /**
     * The checks every input meets before an op applies its own size rule: rank 3 or 4, no negative size, the channel
     * count the weight expects, a non-empty image.
     *
     * @param given how PyTorch's channel message introduces the weight: "groups=G" for conv2d, "transposed=1" for
     *              conv_transpose2d
     * @return the input's 4-D view ({@link #batched})
     */
    static int[] checkInput(String op, String given, ConvConfig config, int[] inputShape) {
        checkRank(op, inputShape);
        int[] batched = batched(inputShape);
        int channels = batched[1];
        if (channels != config.common().inChannels()) {
            throw new IllegalArgumentException(
                    "Given " + given + ", weight of size " + Shapes.format(config.weightShape())
                            + ", expected input" + Shapes.format(batched) + " to have "
                            + config.common().inChannels()
                            + " channels, but got " + channels + " channels instead");
        }
        checkSpatialNotEmpty(op, batched);
        return batched;
    }

    /** 4-D batched or 3-D unbatched, as PyTorch's conv modules accept. */
    private static void checkRank(String op, int[] inputShape) {
        if (inputShape.length != 3 && inputShape.length != 4) {
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to " + op
                    + ", but got input of size: " + Shapes.format(inputShape));
        }
        for (int dim : inputShape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in input of size " + Shapes.format(inputShape));
            }
        }
    }

    /**
     * PyTorch runs zero-batch and zero-channel inputs but refuses an empty image (H or W of 0) when there is work to
     * do; jconv refuses it always, since no padding mode can give such an image a meaningful border.
     */
    private static void checkSpatialNotEmpty(String op, int[] batched) {
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
