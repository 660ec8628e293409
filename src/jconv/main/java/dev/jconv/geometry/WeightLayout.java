package dev.jconv.geometry;

import dev.jconv.IntPair;

/**
 * How PyTorch lays out each op's weight: which channel count leads, and which one the groups split. Conv2d's weight
 * is [out, in/groups, kH, kW]; ConvTranspose2d's, the transpose of the convolution it undoes, is [in, out/groups, kH,
 * kW].
 */
public enum WeightLayout {
    /** Conv2d's [out, in/groups, kH, kW]. */
    OUTPUT_CHANNELS_FIRST,
    /** ConvTranspose2d's [in, out/groups, kH, kW]. */
    INPUT_CHANNELS_FIRST;

    /** The weight's shape for these channel counts, groups and kernel. */
    public int[] shape(int inChannels, int outChannels, int groups, IntPair kernel) {
        int leading = this == OUTPUT_CHANNELS_FIRST ? outChannels : inChannels;
        int perGroup = (this == OUTPUT_CHANNELS_FIRST ? inChannels : outChannels) / groups;
        return new int[] {leading, perGroup, kernel.height(), kernel.width()};
    }

    /**
     * The output channel that the element at flat {@code index} of a weight of {@code shape} feeds. In the transposed
     * layout, input channel i belongs to group i / (in/groups), and its out/groups rows feed that group's outputs.
     */
    public int outputChannelOf(int index, int[] shape, int groups) {
        int kernelArea = shape[2] * shape[3];
        int row = index / (shape[1] * kernelArea);
        if (this == OUTPUT_CHANNELS_FIRST) {
            return row;
        }
        int group = row / (shape[0] / groups);
        return group * shape[1] + index / kernelArea % shape[1];
    }
}
