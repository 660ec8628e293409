package dev.jconv.geometry;

import dev.jconv.IntPair;

/**
 * The hyper-parameters both convolutions take, as PyTorch's {@code _ConvNd} holds them: channels, kernel, stride,
 * dilation, groups and bias. Built first, so its checks (channels, groups, kernel) come first for both ops, as in
 * PyTorch; each op's config adds its padding (with padding_mode, or output_padding), checks those, then the stride and
 * dilation, in its own order.
 */
public record CommonConfig(
        int inChannels,
        int outChannels,
        IntPair kernelSize,
        IntPair stride,
        IntPair dilation,
        int groups,
        boolean bias) {

    public CommonConfig {
        ConfigRules.checkChannelsAndKernel(inChannels, outChannels, kernelSize, stride, dilation, groups);
    }

    /** The same hyper-parameters with or without a bias. */
    public CommonConfig withBias(boolean value) {
        return new CommonConfig(inChannels, outChannels, kernelSize, stride, dilation, groups, value);
    }
}
