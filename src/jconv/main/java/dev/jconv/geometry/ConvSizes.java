package dev.jconv.geometry;

/**
 * The sizes of one convolution call: its input and output planes, channels and groups. Both ops' geometries hold one;
 * they differ only in the rule that gives the output plane from the input.
 *
 * @param unbatched true when the input was [C, H, W]: the output then drops the batch dimension too
 */
public record ConvSizes(
        int batch,
        boolean unbatched,
        int inChannels,
        int inHeight,
        int inWidth,
        int outChannels,
        int groups,
        int outHeight,
        int outWidth) {

    /**
     * The sizes of {@code config} applied to {@code inputShape} (already checked by {@link InputRules#checkInput}),
     * once the op's rule has given the output plane.
     *
     * @throws IllegalArgumentException when the output would not fit a Java array
     */
    static ConvSizes of(ConvConfig config, int[] inputShape, long outHeight, long outWidth) {
        int[] batched = InputRules.batched(inputShape);
        // Clamped before the check, so an output side past Integer.MAX_VALUE fails the check instead of wrapping.
        int height = (int) Math.min(outHeight, Integer.MAX_VALUE);
        int width = (int) Math.min(outWidth, Integer.MAX_VALUE);
        Shapes.elementCount(new int[] {batched[0], config.common().outChannels(), height, width});
        return new ConvSizes(
                batched[0],
                inputShape.length == 3,
                batched[1],
                batched[2],
                batched[3],
                config.common().outChannels(),
                config.common().groups(),
                height,
                width);
    }

    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    /** The same sizes for the first {@code images} images of the batch. */
    ConvSizes withBatch(int images) {
        return new ConvSizes(
                images, unbatched, inChannels, inHeight, inWidth, outChannels, groups, outHeight, outWidth);
    }
}
