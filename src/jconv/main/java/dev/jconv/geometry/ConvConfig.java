package dev.jconv.geometry;

import dev.jconv.IntPair;

/**
 * One convolution module's hyper-parameters: the {@link CommonConfig} both ops take, and what the op adds (its
 * padding, and padding_mode or output_padding) with its own weight layout.
 */
public sealed interface ConvConfig permits Conv2dConfig, ConvTranspose2dConfig {

    CommonConfig common();

    /**
     * How PyTorch lays out this op's weight: the one fact of the two ops' configs that is not a value they hold, so it
     * is told from the (sealed) type, as PyTorch's {@code _ConvNd} tells it from its {@code transposed} flag.
     */
    default WeightLayout weightLayout() {
        return this instanceof ConvTranspose2dConfig
                ? WeightLayout.INPUT_CHANNELS_FIRST
                : WeightLayout.OUTPUT_CHANNELS_FIRST;
    }

    /** The weight's shape, as PyTorch lays it out for this op. */
    default int[] weightShape() {
        CommonConfig common = common();
        return weightLayout().shape(common.inChannels(), common.outChannels(), common.groups(), common.kernelSize());
    }

    /** The fan-in of PyTorch's default initialisation: the weight's dim 1 times the kernel area. */
    default int fanIn() {
        IntPair kernel = common().kernelSize();
        return weightShape()[1] * kernel.height() * kernel.width();
    }
}
