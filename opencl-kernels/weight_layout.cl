/*
 * Weights re-laid for the channel-vector kernels, with blocks of `block` consecutive output channels innermost, so
 * that a tap's weights for one block are one contiguous run (whole-vector loads). Runs once per weight buffer
 * (ChannelVectorWeights); sizes are arguments, so one build serves every layer.
 *
 *  - channel_vector_weights (conv2d_channel_vectors): from Conv2d's [out][in / groups][kH][kW] to
 *    [out / block][in / groups][kH][kW][block].
 *  - transposed_channel_vector_weights (conv_transpose2d_channel_vectors): from ConvTranspose2d's
 *    [in][out / groups][kH][kW] to [out / block][kH][kW][in / groups][block], taps outermost (the kernel says why).
 *
 * Work-item i writes element i of the target, total = out x (in / groups) x taps; the arguments are the same for both.
 */

#include "guard.cl"

__kernel void channel_vector_weights(__global const float *restrict sourceBuffer, __global float *restrict targetBuffer,
                                     const int inPerGroup, const int outPerGroup, const int taps, const int block,
                                     const int total) {
    const int target = get_global_id(0);
    if (target >= total) {
        return;
    }
    const int perChannel = inPerGroup * taps;
    const int lane = target % block;
    const int weight = (target / block) % perChannel;
    const int tile = target / (block * perChannel);
    SKIP_GUARD(targetBuffer)[target] = SKIP_GUARD(sourceBuffer)[(tile * block + lane) * perChannel + weight];
}

__kernel void transposed_channel_vector_weights(__global const float *restrict sourceBuffer,
                                                __global float *restrict targetBuffer, const int inPerGroup,
                                                const int outPerGroup, const int taps, const int block,
                                                const int total) {
    const int target = get_global_id(0);
    if (target >= total) {
        return;
    }
    const int lane = target % block;
    const int channel = (target / block) % inPerGroup;
    const int tap = (target / (block * inPerGroup)) % taps;
    const int tile = target / (block * inPerGroup * taps);
    const int outChannel = tile * block + lane;
    const int group = outChannel / outPerGroup;
    const int inGroup = outChannel - group * outPerGroup;
    SKIP_GUARD(targetBuffer)[target] =
            SKIP_GUARD(sourceBuffer)[((group * inPerGroup + channel) * outPerGroup + inGroup) * taps + tap];
}
