/*
 * ConvTranspose2d forward as a gather with the phase (sub-pixel) decomposition. Output row oy receives input row iy
 * through tap ky when oy = iy * SH - PH + ky * DH. Writing oy = m * SH + rowPhase, the taps that can reach the row
 * depend only on rowPhase, and for each of them iy = m + (rowPhase + PH - ky * DH) / SH: within one phase the
 * transposed convolution is an ordinary convolution over m, so VW consecutive m (output pixels SW apart) read VW
 * consecutive input pixels. Taps that cannot reach a phase are skipped, so only useful multiply-adds are done.
 *
 * Each work-item owns OC_TILE output channels x VW output pixels of one phase of one output row and writes only
 * them: no atomics, and each output sums its (tap, channel) pairs in a fixed order, so results are deterministic.
 *
 * Work-item (tile, columnPhase * vectors + xVector, (image * SH + rowPhase) * phaseRows + m), where phaseRows =
 * ceil(OUT_H / SH), M_W = ceil(OUT_W / SW) and vectors = ceil(M_W / VW). Batch, height and width are kernel arguments
 * (plane_sizes.cl), so one build serves every input size of a layer; channels stay #defines (a layer's weights fix
 * them, and constant channel strides fold into the weight loads).
 *
 * Required defines: IN_C OUT_C CIN_G COUT_G KH KW SH SW PH PW DH DW HAS_BIAS OC_TILE VW
 *                   ACTIVATION (see activation.cl) TILES_OUTER FLAT (1: conv_transpose2d_flat, 0: conv_transpose2d)
 *                   JOINT_VECTORS (conv_transpose2d_flat: VW-lane vectors per work-item, sharing each weight load)
 *                   JOINT_IMAGES (conv_transpose2d_flat: 1 when those vectors are one plane-wide vector of consecutive
 *                   images rather than consecutive vectors of one plane)
 *                   CHANNEL_VECTORS, PIXELS (conv_transpose2d_channel_vectors, built alone when CHANNEL_VECTORS > 0)
 * Kernel arguments: input, weight, bias, output (each with GUARD floats of slack), the plane sizes, phaseRows and
 *                   vectors (per phase row, or for the flat kernel per phase plane); the flat kernel also takes the
 *                   number of images.
 */

#include "common.cl"

#define TAPS (KH * KW)

/* sums[o] += weight(channel c, output o, this tap) * pixels, for every input channel c of the group, in order.
 * LOAD_PIXELS is an expression in c; weightTap points at (group's first channel, tile's first output, tap). */
#define ACCUMULATE_CHANNELS(LOAD_PIXELS)                                                                    \
    for (int c = 0; c < CIN_G; c++) {                                                                        \
        const VEC pixels = (LOAD_PIXELS);                                                                    \
        _Pragma("unroll") for (int o = 0; o < OC_TILE; o++) {                                                \
            sums[o] = fma((VEC)(weightTap[c * COUT_G * TAPS + o * TAPS]), pixels, sums[o]);                   \
        }                                                                                                    \
    }

/* The VW floats base[offset[lane]], with 0 where offset[lane] is -1. */
inline VEC gather(__global const float *base, const int *offset) {
    float lanes[VW];
    #pragma unroll
    for (int lane = 0; lane < VW; lane++) {
        lanes[lane] = offset[lane] >= 0 ? base[offset[lane]] : 0.0f;
    }
    return VLOAD(0, lanes);
}

/* Neither is built beside the channel-vector kernel, whose OC_TILE (up to 64 channels) would unroll them too far. */
#if !FLAT && !CHANNEL_VECTORS
__kernel void conv_transpose2d(__global const float *restrict inputBuffer,
                               __global const float *restrict weightBuffer,
                               __global const float *restrict biasBuffer, __global float *restrict outputBuffer,
                               PLANE_SIZE_ARGUMENTS, const int phaseRows, const int vectors) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    __global const float *input = SKIP_GUARD(inputBuffer);
    __global const float *weight = SKIP_GUARD(weightBuffer);
    __global const float *bias = SKIP_GUARD(biasBuffer);
    __global float *output = SKIP_GUARD(outputBuffer);
    const int tile = TILE_ID;
    const int columnPhase = get_global_id(1) / vectors;
    const int firstM = (get_global_id(1) - columnPhase * vectors) * VW;
    const int rowIndex = ROW_ID;
    const int image = rowIndex / (SH * phaseRows);
    const int rowInImage = rowIndex - image * (SH * phaseRows);
    const int rowPhase = rowInImage / phaseRows;
    const int outRow = (rowInImage - rowPhase * phaseRows) * SH + rowPhase;
    if (outRow >= OUT_H || firstM * SW + columnPhase >= OUT_W) {
        return;
    }
    const int firstOutChannel = tile * OC_TILE;
    const int group = firstOutChannel / COUT_G;
    const int channelInGroup = firstOutChannel - group * COUT_G;

    __global const float *inputGroup = input + (image * IN_C + group * CIN_G) * IN_PLANE;
    /* Weight layout [IN_C, COUT_G, KH, KW]: input channel c of the group is COUT_G * TAPS further on. */
    __global const float *weightTile = weight + (group * CIN_G * COUT_G + channelInGroup) * TAPS;

    /* Lanes past the row's last output of this phase are computed but never stored. */
    int activeLanes = 0;
    #pragma unroll
    for (int lane = 0; lane < VW; lane++) {
        activeLanes += (firstM + lane) * SW + columnPhase < OUT_W;
    }

    VEC sums[OC_TILE];
    #pragma unroll
    for (int o = 0; o < OC_TILE; o++) {
        sums[o] = (VEC)(0.0f);
    }

    for (int ky = 0; ky < KH; ky++) {
        const int rowReach = outRow + PH - ky * DH;
        if (rowReach % SH != 0) {
            continue;
        }
        const int inRow = rowReach / SH;
        if (inRow < 0 || inRow >= IN_H) {
            continue;
        }
        __global const float *inputRow = inputGroup + inRow * IN_W;
        for (int kx = 0; kx < KW; kx++) {
            const int columnReach = columnPhase + PW - kx * DW;
            if (columnReach % SW != 0) {
                continue;
            }
            const int firstColumn = firstM + columnReach / SW;
            __global const float *weightTap = weightTile + ky * KW + kx;
            if (firstColumn >= 0 && firstColumn + VW <= IN_W) {
                ACCUMULATE_CHANNELS(VLOAD(0, inputRow + c * IN_PLANE + firstColumn))
            } else if (firstColumn >= -GUARD && firstColumn + VW <= IN_W + GUARD) {
                /* Some lanes fall outside the input row and contribute nothing: load whole vectors anyway (the
                 * guard keeps the reads inside the buffer) and zero those lanes. */
                const IVEC column = firstColumn + LANE_INDEX;
                const IVEC inside = column >= 0 && column < IN_W;
                ACCUMULATE_CHANNELS(select((VEC)(0.0f), VLOAD(0, inputRow + c * IN_PLANE + firstColumn), inside))
            } else {
                /* Far outside the row (a large padding): gather lane by lane. */
                int column[VW];
                #pragma unroll
                for (int lane = 0; lane < VW; lane++) {
                    column[lane] = firstColumn + lane >= 0 && firstColumn + lane < IN_W ? firstColumn + lane : -1;
                }
                ACCUMULATE_CHANNELS(gather(inputRow + c * IN_PLANE, column))
            }
        }
    }

    #pragma unroll
    for (int o = 0; o < OC_TILE; o++) {
        const int outChannel = firstOutChannel + o;
        const VEC result = EPILOGUE(sums[o], bias, outChannel);
        __global float *outputRow = output + ((image * OUT_C + outChannel) * OUT_H + outRow) * OUT_W;
#if SW == 1
        if (activeLanes == VW) {
            VSTORE(result, 0, outputRow + firstM);
            continue;
        }
#endif
        float lanes[VW];
        VSTORE(result, 0, lanes);
        for (int lane = 0; lane < activeLanes; lane++) {
            outputRow[(firstM + lane) * SW + columnPhase] = lanes[lane];
        }
    }
}
#endif

/*
 * The same gather with each work-item's VW lanes running over a phase's whole plane, m-row after m-row, instead of
 * along one row: for small images (a 4x4 input has 4 outputs per phase row) a row-wise vector would be mostly empty.
 * Valid when a phase row has exactly IN_W outputs (M_W == IN_W, true for the usual stride-s upsampling layers), so
 * the lanes read consecutive input pixels, one plane-wide vector load per tap and channel, masked at the borders.
 *
 * Work-item (tile, phase * vectors + item, image), dimensions 0 and 2 swapped by TILES_OUTER, where
 * vectors = ceil(phaseRows * IN_W / (JOINT_VECTORS * VW)): each item computes JOINT_VECTORS consecutive vectors of
 * the plane, so each weight it loads feeds JOINT_VECTORS multiply-adds.
 *
 * With JOINT_IMAGES the plane is a single vector (a 4x4 input), so the item's JOINT_VECTORS vectors are instead that
 * plane in JOINT_VECTORS consecutive images: work-item (tile, phase, image group), vectors = 1. Images past the batch
 * read the last image (in bounds) and store nothing. Every output sums its (channel, tap) pairs in the same order
 * either way, so the results are the same bits as with one vector per item.
 */
#if FLAT && !CHANNEL_VECTORS
#define PLANE_VECTORS (JOINT_IMAGES ? 1 : JOINT_VECTORS)

__kernel void conv_transpose2d_flat(__global const float *restrict inputBuffer,
                                    __global const float *restrict weightBuffer,
                                    __global const float *restrict biasBuffer,
                                    __global float *restrict outputBuffer,
                                    PLANE_SIZE_ARGUMENTS, const int phaseRows, const int vectors, const int images) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    __global const float *input = SKIP_GUARD(inputBuffer);
    __global const float *weight = SKIP_GUARD(weightBuffer);
    __global const float *bias = SKIP_GUARD(biasBuffer);
    __global float *output = SKIP_GUARD(outputBuffer);
    const int tile = TILE_ID;
    const int firstImage = ROW_ID * (JOINT_IMAGES ? JOINT_VECTORS : 1);
    const int phase = get_global_id(1) / vectors;
    const int firstPosition = (get_global_id(1) - phase * vectors) * (VW * PLANE_VECTORS);
    const int rowPhase = phase / SW;
    const int columnPhase = phase - rowPhase * SW;

    /* Vector v's input, relative to the item's first: the next plane vector, or the next image's plane. */
    int vectorOffset[JOINT_VECTORS];
    IVEC position[JOINT_VECTORS];
    IVEC m[JOINT_VECTORS];
    IVEC column[JOINT_VECTORS];
    #pragma unroll
    for (int v = 0; v < JOINT_VECTORS; v++) {
#if JOINT_IMAGES
        vectorOffset[v] = (min(firstImage + v, images - 1) - firstImage) * IN_C * IN_PLANE;
        position[v] = firstPosition + LANE_INDEX;
#else
        vectorOffset[v] = v * VW;
        position[v] = firstPosition + v * VW + LANE_INDEX;
#endif
        m[v] = position[v] / IN_W;
        column[v] = position[v] - m[v] * IN_W;
    }

    const int firstOutChannel = tile * OC_TILE;
    const int group = firstOutChannel / COUT_G;
    const int channelInGroup = firstOutChannel - group * COUT_G;
    __global const float *inputGroup = input + (firstImage * IN_C + group * CIN_G) * IN_PLANE;
    __global const float *weightTile = weight + (group * CIN_G * COUT_G + channelInGroup) * TAPS;

    VEC sums[JOINT_VECTORS][OC_TILE];
    #pragma unroll
    for (int v = 0; v < JOINT_VECTORS; v++) {
        #pragma unroll
        for (int o = 0; o < OC_TILE; o++) {
            sums[v][o] = (VEC)(0.0f);
        }
    }

#if KH == SH && KW == SW && PH == 0 && PW == 0 && DH == 1 && DW == 1
    /* Kernel as large as the stride, unpadded (the 2x2 stride-2 upsampling of U-Nets): tap (rowPhase, columnPhase)
     * alone reaches this phase, from the input pixel at the lane's own plane position, so the phase is a pointwise
     * product. Positions past the input plane (the rows an output_padding adds) take no input; vectors that
     * straddle the plane's end read at most PLANE_VECTORS x VW - 1 floats past it (the next plane or the guard: the
     * host keeps that within GUARD) and zero those lanes. Each output sums its channels in order, as the general path
     * below does, so both give the same bits. */
    __global const float *weightTap = weightTile + rowPhase * KW + columnPhase;
    __global const float *lanePixels = inputGroup + firstPosition;
    IVEC inside[JOINT_VECTORS];
    #pragma unroll
    for (int v = 0; v < JOINT_VECTORS; v++) {
        /* All lanes inside when the item's vectors end within the plane: the select() is then a plain load. */
        inside[v] = position[v] < IN_PLANE || firstPosition + PLANE_VECTORS * VW <= IN_PLANE;
    }
    if (firstPosition < IN_PLANE) {
        for (int c = 0; c < CIN_G; c++) {
            VEC pixels[JOINT_VECTORS];
            #pragma unroll
            for (int v = 0; v < JOINT_VECTORS; v++) {
                pixels[v] = select((VEC)(0.0f), VLOAD(0, lanePixels + c * IN_PLANE + vectorOffset[v]), inside[v]);
            }
            #pragma unroll
            for (int o = 0; o < OC_TILE; o++) {
                const VEC w = (VEC)(weightTap[c * COUT_G * TAPS + o * TAPS]);
                #pragma unroll
                for (int v = 0; v < JOINT_VECTORS; v++) {
                    sums[v][o] = fma(w, pixels[v], sums[v][o]);
                }
            }
        }
    }
#else
    /* The taps that reach this phase, each with its input offset and lane masks, listed once so the channel loop
     * can be outermost: every weight cache line a channel brings in then serves all of that channel's taps. */
    int tapCount = 0;
    bool allVectorLoads = true;
    int tapStart[TAPS];
    int tapWeight[TAPS];
    IVEC tapInside[TAPS][JOINT_VECTORS];
    for (int ky = 0; ky < KH; ky++) {
        const int rowReach = rowPhase + PH - ky * DH;
        if (rowReach % SH != 0) {
            continue;
        }
        const int rowShift = rowReach / SH;
        for (int kx = 0; kx < KW; kx++) {
            const int columnReach = columnPhase + PW - kx * DW;
            if (columnReach % SW != 0) {
                continue;
            }
            const int columnShift = columnReach / SW;
            /* Lane l reads plane offset start + l: the lanes' pixels are consecutive because M_W == IN_W. */
            const int start = firstPosition + rowShift * IN_W + columnShift;
            #pragma unroll
            for (int v = 0; v < JOINT_VECTORS; v++) {
                const IVEC inRow = m[v] + rowShift;
                const IVEC inColumn = column[v] + columnShift;
                tapInside[tapCount][v] = inRow >= 0 && inRow < IN_H && inColumn >= 0 && inColumn < IN_W;
            }
            tapStart[tapCount] = start;
            tapWeight[tapCount] = ky * KW + kx;
            allVectorLoads = allVectorLoads && start >= -GUARD && start + PLANE_VECTORS * VW <= IN_PLANE + GUARD;
            tapCount++;
        }
    }

    if (allVectorLoads) {
        for (int c = 0; c < CIN_G; c++) {
            __global const float *plane = inputGroup + c * IN_PLANE;
            __global const float *channelWeights = weightTile + c * COUT_G * TAPS;
            for (int t = 0; t < tapCount; t++) {
                VEC pixels[JOINT_VECTORS];
                #pragma unroll
                for (int v = 0; v < JOINT_VECTORS; v++) {
                    pixels[v] = select((VEC)(0.0f), VLOAD(0, plane + tapStart[t] + vectorOffset[v]), tapInside[t][v]);
                }
                #pragma unroll
                for (int o = 0; o < OC_TILE; o++) {
                    const VEC w = (VEC)(channelWeights[o * TAPS + tapWeight[t]]);
                    #pragma unroll
                    for (int v = 0; v < JOINT_VECTORS; v++) {
                        sums[v][o] = fma(w, pixels[v], sums[v][o]);
                    }
                }
            }
        }
    } else {
        /* Padding so large that whole-vector loads could leave the buffer: gather lane by lane. */
        for (int t = 0; t < tapCount; t++) {
            __global const float *weightTap = weightTile + tapWeight[t];
            #pragma unroll
            for (int v = 0; v < JOINT_VECTORS; v++) {
                int offset[VW];
                VSTORE_INT(select((IVEC)(-1), tapStart[t] + vectorOffset[v] + LANE_INDEX, tapInside[t][v]), offset);
                for (int c = 0; c < CIN_G; c++) {
                    const VEC pixels = gather(inputGroup + c * IN_PLANE, offset);
                    #pragma unroll
                    for (int o = 0; o < OC_TILE; o++) {
                        sums[v][o] = fma((VEC)(weightTap[c * COUT_G * TAPS + o * TAPS]), pixels, sums[v][o]);
                    }
                }
            }
        }
    }
#endif

    #pragma unroll
    for (int v = 0; v < JOINT_VECTORS; v++) {
        const int image = firstImage + (JOINT_IMAGES ? v : 0);
        if (image >= images) {
            break;
        }
        int row[VW];
        int columnOut[VW];
        VSTORE_INT(select((IVEC)(OUT_H), m[v] * SH + rowPhase, position[v] < phaseRows * IN_W), row);
        VSTORE_INT(column[v] * SW + columnPhase, columnOut);
        #pragma unroll
        for (int o = 0; o < OC_TILE; o++) {
            const int outChannel = firstOutChannel + o;
            const VEC result = EPILOGUE(sums[v][o], bias, outChannel);
            float lanes[VW];
            VSTORE(result, 0, lanes);
            __global float *outputPlane = output + (image * OUT_C + outChannel) * (OUT_H * OUT_W);
            #pragma unroll
            for (int lane = 0; lane < VW; lane++) {
                if (row[lane] < OUT_H && columnOut[lane] < OUT_W) {
                    outputPlane[row[lane] * OUT_W + columnOut[lane]] = lanes[lane];
                }
            }
        }
    }
}
#endif

#if CHANNEL_VECTORS > 0
#include "channel_vectors.cl"

/*
 * Output channels in the lanes, as conv2d_channel_vectors: work-item (tile, columnPhase * blocks + block, row as for
 * conv_transpose2d) computes OC_TILE = CHANNEL_VECTORS x VW output channels of PIXELS consecutive outputs of one phase
 * row (SW apart in the output), which read PIXELS consecutive input pixels per tap. A tap's weights for one input
 * channel are CHANNEL_VECTORS vector loads, and each input pixel is one scalar broadcast into CHANNEL_VECTORS
 * multiply-adds. Loads outside the input row are clamped into it and their pixels zeroed, so every load is in bounds.
 *
 * Channels are the outer loop, taps inner (rows unrolled, columns rolled: an unrolled column loop spills the
 * accumulators, as in conv2d_channel_vectors), so each output sums its input channels in order, each channel's taps
 * row-major, then the bias: an order of its own, not conv_transpose2d's. The weights are re-laid tap-major,
 * [tile][tap][in / groups][OC_TILE] (weight_layout.cl), so consecutive channels of one tap are consecutive blocks:
 * channel-major blocks put one channel's taps KH x KW x OC_TILE floats apart (4 KiB at 4x4 taps and 64 channels),
 * and on PoCL dcgan_T3 took 3.69-3.81 ms against 3.53-3.59 (C harness, 2026-12-01).
 *
 * The outputs are staged (channel_vectors.cl): a work-group is one whole output row of one tile (all SW x blocks items
 * of NDRange dimension 1). Stored from registers, on PoCL this kernel took 5.5-6.6 ms on dcgan_T3 against 3.3 staged
 * (4.3 with 33x33 planes, which do not alias).
 *
 * Kernel arguments after the plane sizes: phaseRows = ceil(OUT_H / SH), blocks = ceil(ceil(OUT_W / SW) / PIXELS), and
 * the staged row, OC_TILE x (SW x blocks x PIXELS) floats of local memory.
 */
#define CHANNEL_VECTOR_TAPS(MASKED)                                                                                   \
    for (int c = 0; c < CIN_G; c++) {                                                                                 \
        __global const float *channel = inputGroup + c * IN_PLANE;                                                    \
        __global const float *weightChannel = weightTile + c * OC_TILE;                                               \
        _Pragma("unroll") for (int ky = 0; ky < KH; ky++) {                                                           \
            if (!rowValid[ky]) {                                                                                      \
                continue;                                                                                             \
            }                                                                                                         \
            __global const float *inputRow = channel + rowOffset[ky];                                                 \
            _Pragma("unroll 1") for (int kx = 0; kx < KW; kx++) {                                                     \
                if (!columnValid[kx]) {                                                                               \
                    continue;                                                                                         \
                }                                                                                                     \
                VEC weights[CHANNEL_VECTORS];                                                                         \
                _Pragma("unroll") for (int v = 0; v < CHANNEL_VECTORS; v++) {                                         \
                    weights[v] = VLOAD((ky * KW + kx) * CIN_G * CHANNEL_VECTORS + v, weightChannel);                  \
                }                                                                                                     \
                _Pragma("unroll") for (int p = 0; p < PIXELS; p++) {                                                  \
                    const int column = firstColumn[kx] + p;                                                           \
                    float pixel = inputRow[MASKED ? clamp(column, 0, IN_W - 1) : column];                             \
                    if (MASKED) {                                                                                     \
                        pixel = column >= 0 && column < IN_W ? pixel : 0.0f;                                          \
                    }                                                                                                 \
                    _Pragma("unroll") for (int v = 0; v < CHANNEL_VECTORS; v++) {                                     \
                        sums[p][v] = fma((VEC)(pixel), weights[v], sums[p][v]);                                       \
                    }                                                                                                 \
                }                                                                                                     \
            }                                                                                                         \
        }                                                                                                             \
    }

__kernel void conv_transpose2d_channel_vectors(__global const float *restrict inputBuffer,
                                               __global const float *restrict weightBuffer,
                                               __global const float *restrict biasBuffer,
                                               __global float *restrict outputBuffer, PLANE_SIZE_ARGUMENTS,
                                               const int phaseRows, const int blocks, __local float *stagedRow) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    const int rowIndex = ROW_ID;
    const int image = rowIndex / (SH * phaseRows);
    const int rowInImage = rowIndex - image * (SH * phaseRows);
    const int rowPhase = rowInImage / phaseRows;
    const int outRow = (rowInImage - rowPhase * phaseRows) * SH + rowPhase;
    /* The whole work-group shares the row: a phase row past the output's end returns together, before the barrier. */
    if (outRow >= OUT_H) {
        return;
    }
    const int columnPhase = get_global_id(1) / blocks;
    const int firstM = (get_global_id(1) - columnPhase * blocks) * PIXELS;
    const int firstOutChannel = TILE_ID * OC_TILE;
    const int group = firstOutChannel / COUT_G;
    __global const float *inputGroup = SKIP_GUARD(inputBuffer) + (image * IN_C + group * CIN_G) * IN_PLANE;
    __global const float *weightTile = SKIP_GUARD(weightBuffer) + firstOutChannel * (CIN_G * TAPS);

    /* The tap rows that reach this output row from inside the input, and the tap columns that reach this phase. */
    bool rowValid[KH];
    int rowOffset[KH];
    #pragma unroll
    for (int ky = 0; ky < KH; ky++) {
        const int reach = outRow + PH - ky * DH;
        rowValid[ky] = reach % SH == 0 && reach >= 0 && reach / SH < IN_H;
        rowOffset[ky] = rowValid[ky] ? reach / SH * IN_W : 0;
    }
    bool columnValid[KW];
    int firstColumn[KW];
    bool inside = true;
    #pragma unroll
    for (int kx = 0; kx < KW; kx++) {
        const int reach = columnPhase + PW - kx * DW;
        columnValid[kx] = reach % SW == 0;
        firstColumn[kx] = firstM + reach / SW;
        inside = inside && (!columnValid[kx] || (firstColumn[kx] >= 0 && firstColumn[kx] + PIXELS <= IN_W));
    }

    ACCUMULATE_CHANNEL_VECTORS(inside)

    /* Lane l of sums[p][v] is channel v * VW + l of the tile at output column (firstM + p) * SW + columnPhase. Columns
     * past the row's end (the last block of a phase) land in the staged row's slack and are never copied out. */
    const int rowStride = SW * blocks * PIXELS;
    STAGE_CHANNEL_VECTORS(sums, SKIP_GUARD(biasBuffer) + firstOutChannel, stagedRow, rowStride,
                          firstM * SW + columnPhase, SW)
    barrier(CLK_LOCAL_MEM_FENCE);
    copy_staged_row(stagedRow, rowStride,
                    SKIP_GUARD(outputBuffer) + ((image * OUT_C + firstOutChannel) * OUT_H + outRow) * OUT_W, OUT_PLANE,
                    OUT_W);
}
#endif
