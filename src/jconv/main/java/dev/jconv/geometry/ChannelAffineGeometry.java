package dev.jconv.geometry;

import dev.jconv.Activation;

/**
 * One elementwise call over a tensor seen as {@code images x channels x planeSize} floats in C order: each value of
 * channel c becomes {@code activation(x * scale[c] + shift[c])} (a BatchNorm2d in eval mode, then its activation), or
 * {@code activation(x)} when there is no affine step (a standalone activation, where the channels do not matter).
 */
public record ChannelAffineGeometry(
        int[] shape, int images, int channels, int planeSize, boolean affine, Activation activation) {

    public ChannelAffineGeometry {
        shape = shape.clone();
    }

    /** A BatchNorm2d-style call on a [N, C, H, W] tensor, with its channels at dimension 1. */
    public static ChannelAffineGeometry perChannel(int[] shape, Activation activation) {
        if (shape.length != 4) {
            throw new IllegalArgumentException("expected 4D input (got " + shape.length + "D input)");
        }
        Shapes.elementCount(shape);
        return new ChannelAffineGeometry(shape, shape[0], shape[1], shape[2] * shape[3], true, activation);
    }

    /** An activation alone on a tensor of any shape. */
    public static ChannelAffineGeometry activationOnly(int[] shape, Activation activation) {
        return new ChannelAffineGeometry(shape, 1, 1, Shapes.elementCount(shape), false, activation);
    }

    public int elements() {
        return images * channels * planeSize;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** A one-line description for messages and logs. */
    public String describe() {
        return (affine ? "batch_norm over " + channels + " channels" : "activation") + " on " + Shapes.format(shape)
                + (activation.isNone() ? "" : " then " + activation);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChannelAffineGeometry g
                && java.util.Arrays.equals(shape, g.shape)
                && affine == g.affine
                && activation.equals(g.activation);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(shape) * 31 + activation.hashCode() + (affine ? 1 : 0);
    }

    @Override
    public String toString() {
        return describe();
    }
}
