package dev.jconv.geometry;

import dev.jconv.Activation;

/**
 * What one validated call of either convolution has: the sizes of its input and output, its channel groups, and the
 * epilogue. The two records differ only in how the output size follows from the input (the two ops' rules) and in how
 * the weight is laid out; everything derived from the shared sizes is written once, here.
 */
public sealed interface ConvGeometry permits Conv2dGeometry, ConvTranspose2dGeometry {

    ConvSizes sizes();

    KernelWindow window();

    Epilogue epilogue();

    /** The same call on the first {@code images} images of the batch: how a batch too large for a device is sliced. */
    ConvGeometry withBatch(int images);

    /** The same call with {@code activation} applied to every output value before it is stored. */
    ConvGeometry withActivation(Activation activation);

    /** How PyTorch lays out this op's weight. */
    WeightLayout weightLayout();

    /** The weight's shape, as PyTorch lays it out for this op. */
    default int[] weightShape() {
        return weightLayout().shape(inChannels(), outChannels(), groups(), window().size());
    }

    /**
     * Multiply-adds by the ops' FLOP rule: every element of the tensor whose channels lead the weight meets one weight
     * row of (channels per group) x kH x kW. For Conv2d each output element sums its row; for ConvTranspose2d each
     * input element is scattered through its row, taps that land in the padding included (as the benchmark's FLOP
     * rule asks). FLOPs are twice this.
     */
    default long multiplyAdds() {
        long leading = weightLayout() == WeightLayout.OUTPUT_CHANNELS_FIRST ? outputElements() : inputElements();
        return leading * weightShape()[1] * kernelHeight() * kernelWidth();
    }

    /** A one-line description for messages and logs. */
    String describe();

    default int batch() {
        return sizes().batch();
    }

    /** True when the input was [C, H, W]: the output then drops the batch dimension too. */
    default boolean unbatched() {
        return sizes().unbatched();
    }

    default int inChannels() {
        return sizes().inChannels();
    }

    default int inHeight() {
        return sizes().inHeight();
    }

    default int inWidth() {
        return sizes().inWidth();
    }

    default int outChannels() {
        return sizes().outChannels();
    }

    default int groups() {
        return sizes().groups();
    }

    default int outHeight() {
        return sizes().outHeight();
    }

    default int outWidth() {
        return sizes().outWidth();
    }

    default int kernelHeight() {
        return window().size().height();
    }

    default int kernelWidth() {
        return window().size().width();
    }

    default int strideHeight() {
        return window().stride().height();
    }

    default int strideWidth() {
        return window().stride().width();
    }

    default int dilationHeight() {
        return window().dilation().height();
    }

    default int dilationWidth() {
        return window().dilation().width();
    }

    default boolean hasBias() {
        return epilogue().hasBias();
    }

    default Activation activation() {
        return epilogue().activation();
    }

    default int inChannelsPerGroup() {
        return sizes().inChannelsPerGroup();
    }

    default int outChannelsPerGroup() {
        return sizes().outChannelsPerGroup();
    }

    /** [N, C, H, W], or [C, H, W] for an unbatched call. */
    default int[] inputShape() {
        return unbatched()
                ? new int[] {inChannels(), inHeight(), inWidth()}
                : new int[] {batch(), inChannels(), inHeight(), inWidth()};
    }

    /** The output's shape; its rank follows the input's. */
    default int[] outputShape() {
        return unbatched()
                ? new int[] {outChannels(), outHeight(), outWidth()}
                : new int[] {batch(), outChannels(), outHeight(), outWidth()};
    }

    default long inputElements() {
        return (long) batch() * inChannels() * inHeight() * inWidth();
    }

    default long outputElements() {
        return (long) batch() * outChannels() * outHeight() * outWidth();
    }

    /** in x out/groups x kH x kW for both layouts: every weight once. */
    default long weightElements() {
        return (long) inChannels() * outChannelsPerGroup() * kernelHeight() * kernelWidth();
    }
}
