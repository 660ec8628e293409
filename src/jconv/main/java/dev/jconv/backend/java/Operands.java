package dev.jconv.backend.java;

/**
 * The heap arrays one convolution call reads and writes, handed through the Java backend's op classes in one piece.
 *
 * @param bias null when the op has none
 */
record Operands(float[] input, float[] weight, float[] bias, float[] output) {}
