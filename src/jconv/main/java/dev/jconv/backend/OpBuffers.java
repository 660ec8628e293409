package dev.jconv.backend;

/**
 * The buffers one op reads and writes on a backend, handed over in one piece: its input, its parameters and the
 * output it fills. Every op has at most two parameters, and PyTorch calls both ops' pair {@code weight} and
 * {@code bias} (a BatchNorm's per-channel scale and shift are its folded weight and bias).
 *
 * @param weight the convolution weight, or a channel affine's scale; null for an op without it
 * @param bias   null when the op has none
 */
public record OpBuffers(DeviceBuffer input, DeviceBuffer weight, DeviceBuffer bias, DeviceBuffer output) {}
