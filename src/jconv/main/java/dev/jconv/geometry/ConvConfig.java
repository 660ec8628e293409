package dev.jconv.geometry;

import dev.jconv.IntPair;

/**
 * The hyper-parameters both convolutions take, as PyTorch's {@code _ConvNd} holds them; each op's record adds its
 * padding (and padding_mode, or output_padding) and its own weight layout.
 */
public sealed interface ConvConfig permits Conv2dConfig, ConvTranspose2dConfig {

    int inChannels();

    int outChannels();

    IntPair kernelSize();

    IntPair stride();

    IntPair dilation();

    int groups();

    boolean bias();

    /** How PyTorch lays out this op's weight. */
    WeightLayout weightLayout();

    /** The weight's shape, as PyTorch lays it out for this op. */
    default int[] weightShape() {
        return weightLayout().shape(inChannels(), outChannels(), groups(), kernelSize());
    }

    /** The fan-in of PyTorch's default initialisation: the weight's dim 1 times the kernel area. */
    default int fanIn() {
        return weightShape()[1] * kernelSize().height() * kernelSize().width();
    }
}
