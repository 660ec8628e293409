/*
 * Elementwise ops for layers that have no convolution to fuse into: a BatchNorm2d in eval mode (AFFINE: each value
 * of channel c becomes fma(x, scale[c], shift[c]), the host having folded mean, variance, eps, weight and bias into
 * scale and shift) and/or an activation (activation.cl). One work-item per element. Sizes are kernel arguments, so
 * one build serves every tensor shape.
 *
 * Required defines: GUARD AFFINE ACTIVATION (NEGATIVE_SLOPE for LeakyReLU)
 * Kernel arguments: input, scale, shift, output (each with GUARD floats of slack; scale and shift are not read
 * without AFFINE), then channels, planeSize (elements per channel plane) and elements.
 */

#include "guard.cl"
#include "activation.cl"

__kernel void channel_affine(__global const float *restrict inputBuffer, __global const float *restrict scaleBuffer,
                             __global const float *restrict shiftBuffer, __global float *restrict outputBuffer,
                             const int channels, const int planeSize, const int elements) {
    const int index = (int)get_global_id(0);
    if (index >= elements) {
        return;
    }
    float value = SKIP_GUARD(inputBuffer)[index];
#if AFFINE
    const int channel = index / planeSize % channels;
    value = fma(value, SKIP_GUARD(scaleBuffer)[channel], SKIP_GUARD(shiftBuffer)[channel]);
#endif
    SKIP_GUARD(outputBuffer)[index] = ACTIVATE(value);
}
