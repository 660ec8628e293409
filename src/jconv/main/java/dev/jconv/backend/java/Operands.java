package dev.jconv.backend.java;

import java.util.function.Supplier;

/**
 * The heap arrays one convolution call reads and writes, handed through the Java backend's op classes in one piece.
 *
 * @param bias          null when the op has none
 * @param weightBuffer  the buffer behind {@code weight}, which keeps layouts derived from it between calls; null
 *                      when the weight is a bare array, whose derived layouts are then rebuilt on every call
 */
record Operands(float[] input, float[] weight, float[] bias, float[] output, HostBuffer weightBuffer) {

    Operands(float[] input, float[] weight, float[] bias, float[] output) {
        this(input, weight, bias, output, null);
    }

    /** A layout of the weight for {@code key}: kept on the weight's buffer, or computed now when there is none. */
    <T> T derivedWeight(Object key, Supplier<T> compute) {
        return weightBuffer == null ? compute.get() : weightBuffer.derived(key, compute);
    }
}
