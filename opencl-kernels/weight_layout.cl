/*
 * Conv2d weights re-laid for conv2d_channel_vectors: from PyTorch's [out][in / groups][kH][kW] to
 * [out / block][in / groups][kH][kW][block], so that a tap's weights for `block` consecutive output channels are one
 * contiguous run (whole-vector loads). Runs once per weight buffer (ChannelVectorWeights); sizes are arguments, so one
 * build serves every layer.
 *
 * Work-item i writes element i of the target: perChannel = (in / groups) x kH x kW, total = out x perChannel.
 */

#include "guard.cl"

__kernel void channel_vector_weights(__global const float *restrict sourceBuffer, __global float *restrict targetBuffer,
                                     const int perChannel, const int block, const int total) {
    const int target = get_global_id(0);
    if (target >= total) {
        return;
    }
    const int lane = target % block;
    const int tap = (target / block) % perChannel;
    const int tile = target / (block * perChannel);
    SKIP_GUARD(targetBuffer)[target] = SKIP_GUARD(sourceBuffer)[(tile * block + lane) * perChannel + tap];
}
