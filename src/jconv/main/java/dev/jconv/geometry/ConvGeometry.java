package dev.jconv.geometry;

import dev.jconv.Activation;

/**
 * What one validated call of either convolution has: the sizes of its input and output, its channel groups, and the
 * epilogue. The two records differ only in how the output size follows from the input (the two ops' rules) and in how
 * the weight is laid out; everything derived from the shared sizes is written once, here.
 */
public sealed interface ConvGeometry permits Conv2dGeometry, ConvTranspose2dGeometry {

    int batch();

    /** True when the input was [C, H, W]: the output then drops the batch dimension too. */
    boolean unbatched();

    int inChannels();

    int inHeight();

    int inWidth();

    int outChannels();

    int groups();

    int kernelHeight();

    int kernelWidth();

    int outHeight();

    int outWidth();

    boolean hasBias();

    Activation activation();

    /** The weight's shape, as PyTorch lays it out for this op. */
    int[] weightShape();

    /** Multiply-adds by the op's FLOP rule; FLOPs are twice this. */
    long multiplyAdds();

    /** A one-line description for messages and logs. */
    String describe();

    default int inChannelsPerGroup() {
        return inChannels() / groups();
    }

    default int outChannelsPerGroup() {
        return outChannels() / groups();
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
