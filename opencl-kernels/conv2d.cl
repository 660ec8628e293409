/*
 * Conv2d forward, direct and gather-free: each work-item computes OC_TILE output channels x VW consecutive output
 * pixels of one output row, keeping OC_TILE vector accumulators in registers. Input pixels are loaded as one vector
 * and multiplied by weights whose indices do not depend on the lane, so every multiply-add is a broadcast FMA.
 *
 * Work-item (tile, xVector, rowBlock): tile = output-channel tile, xVector = which VW-pixel slice of the row,
 * rowBlock = image * rowBlocks + which block of ROWS output rows (see common.cl for TILES_OUTER). Batch, height and
 * width are kernel arguments (plane_sizes.cl), so one build serves every input size of a layer; channels stay
 * #defines because a layer's weights fix them, and constant channel strides let the compiler fold the weight offsets
 * of a tile's channels into its loads.
 *
 * Padding is resolved in the index maths (padded_source mirrors backend/java/PaddedIndex.java), never by copying a
 * padded input. With CHANNEL_OUTER (zero padding within the guard) each output sums tap-major within each channel,
 * channels in order; otherwise channel-major within each tap, taps in row-major order; then it adds the bias. Either
 * is a fixed order, so results are bitwise identical run to run.
 *
 * Required defines: IN_C OUT_C CIN_G COUT_G KH KW SH SW DH DW PAD_TOP PAD_LEFT PAD_MODE
 *                   HAS_BIAS ACTIVATION (see activation.cl) OC_TILE VW ROWS JOINT_ROWS (conv2d_joint_rows; 1 otherwise)
 *                   TILES_OUTER CHANNEL_OUTER ROW_PAIRS PW_VECS (0 except for conv2d_pointwise); for
 *                   conv2d_channel_vectors instead of ROWS to PW_VECS: CHANNEL_VECTORS PIXELS
 * Kernel arguments: input, weight, bias, output (each with GUARD floats of slack), the plane sizes (plane_sizes.cl),
 *                   then rowBlocks = ceil(outHeight / ROWS) (conv2d, conv2d_depthwise) or ceil(outHeight / 2)
 *                   (conv2d_row_pairs); conv2d_pointwise and conv2d_channel_vectors take none.
 */

#include "common.cl"
#include "padding.cl"

#define TAPS (KH * KW)

/* How many consecutive floats load_strided touches from its start; the fast path needs them all inside the row. */
#if SW == 1
#define LOAD_SPAN VW
#elif SW == 2
#define LOAD_SPAN (2 * VW)
#else
#define LOAD_SPAN ((VW - 1) * SW + 1)
#endif

/* VW input pixels SW apart, starting at `first`; stride 1 and 2 use whole-vector loads. */
inline VEC load_strided(__global const float *first) {
#if SW == 1
    return VLOAD(0, first);
#elif SW == 2
    return VLOAD_EVEN(first);
#else
    float lanes[VW];
    #pragma unroll
    for (int lane = 0; lane < VW; lane++) {
        lanes[lane] = first[lane * SW];
    }
    return VLOAD(0, lanes);
#endif
}

/* For each row tap ky of output row outRow: whether its input row lies inside the plane (zero padding), and the
 * offset of that row, clamped into the plane so that loads stay inside it. */
inline void tap_rows(const plane_sizes sizes, const int outRow, bool *rowInside, int *rowOffset) {
    #pragma unroll
    for (int ky = 0; ky < KH; ky++) {
        const int sourceRow = outRow * SH - PAD_TOP + ky * DH;
        rowInside[ky] = sourceRow >= 0 && sourceRow < IN_H;
        rowOffset[ky] = clamp(sourceRow, 0, IN_H - 1) * IN_W;
    }
}

/* For each column tap kx, the input column of lane 0 and which lanes fall inside the row (zero padding). */
inline void tap_columns(const plane_sizes sizes, const int firstOutColumn, int *firstColumn, IVEC *columnInside) {
    #pragma unroll
    for (int kx = 0; kx < KW; kx++) {
        firstColumn[kx] = firstOutColumn * SW - PAD_LEFT + kx * DW;
        const IVEC column = firstColumn[kx] + LANE_INDEX * SW;
        columnInside[kx] = column >= 0 && column < IN_W;
    }
}

/* Stores VW outputs from firstOutColumn of one output row, dropping the lanes past its end. */
inline void store_row_vector(const plane_sizes sizes, const VEC result, __global float *outputRow,
                             const int firstOutColumn) {
    if (firstOutColumn + VW <= OUT_W) {
        VSTORE(result, 0, outputRow + firstOutColumn);
    } else {
        float lanes[VW];
        VSTORE(result, 0, lanes);
        for (int lane = 0; firstOutColumn + lane < OUT_W; lane++) {
            outputRow[firstOutColumn + lane] = lanes[lane];
        }
    }
}

#if !CHANNEL_VECTORS /* see conv2d */
/* One output row of one work-item's tile: OC_TILE channels x VW pixels starting at firstOutColumn. */
inline void conv2d_row(const plane_sizes sizes, __global const float *input, __global const float *weight,
                       __global const float *bias, __global float *output, const int tile, const int firstOutColumn,
                       const int image, const int outRow) {
    const int firstOutChannel = tile * OC_TILE;
    const int group = firstOutChannel / COUT_G;

    __global const float *inputGroup = input + (image * IN_C + group * CIN_G) * IN_PLANE;
    __global const float *weightTile = weight + firstOutChannel * (CIN_G * TAPS);

    VEC sums[OC_TILE];
    #pragma unroll
    for (int o = 0; o < OC_TILE; o++) {
        sums[o] = (VEC)(0.0f);
    }

#if CHANNEL_OUTER
    /* Zero padding whose overhangs stay within the guard (the host checks): every tap's row and lane masks are
     * found once, then the channel loop runs all taps branch-free. Channel outermost means the KH x KW weights of
     * (output, channel) are consecutive, so each weight cache line serves every tap instead of one. */
    int rowOffset[KH];
    bool rowInside[KH];
    tap_rows(sizes, outRow, rowInside, rowOffset);
    int firstColumn[KW];
    IVEC columnInside[KW];
    tap_columns(sizes, firstOutColumn, firstColumn, columnInside);
    for (int c = 0; c < CIN_G; c++) {
        __global const float *channel = inputGroup + c * IN_PLANE;
        __global const float *weightChannel = weightTile + c * TAPS;
        #pragma unroll
        for (int ky = 0; ky < KH; ky++) {
            if (!rowInside[ky]) {
                continue;
            }
            #pragma unroll
            for (int kx = 0; kx < KW; kx++) {
                const VEC pixels = select((VEC)(0.0f), load_strided(channel + rowOffset[ky] + firstColumn[kx]),
                                          columnInside[kx]);
                #pragma unroll
                for (int o = 0; o < OC_TILE; o++) {
                    sums[o] = fma((VEC)(weightChannel[o * CIN_G * TAPS + ky * KW + kx]), pixels, sums[o]);
                }
            }
        }
    }
#else

    /* Taps unrolled: their row and column tests fold to constants per tap and the loop overhead, large next to a
     * handful of channels (depthwise, RGB input), goes away. */
    #pragma unroll
    for (int ky = 0; ky < KH; ky++) {
        const int sourceRow = padded_source(outRow * SH - PAD_TOP + ky * DH, IN_H);
        if (sourceRow < 0) {
            continue;
        }
        __global const float *inputRow = inputGroup + sourceRow * IN_W;
        #pragma unroll
        for (int kx = 0; kx < KW; kx++) {
            const int firstColumn = firstOutColumn * SW - PAD_LEFT + kx * DW;
            __global const float *weightTap = weightTile + ky * KW + kx;
            if (firstColumn >= 0 && firstColumn + LOAD_SPAN <= IN_W) {
                /* Every lane reads inside the row: whole-vector loads. */
                for (int c = 0; c < CIN_G; c++) {
                    const VEC pixels = load_strided(inputRow + c * IN_PLANE + firstColumn);
                    #pragma unroll
                    for (int o = 0; o < OC_TILE; o++) {
                        sums[o] = fma((VEC)(weightTap[o * CIN_G * TAPS + c * TAPS]), pixels, sums[o]);
                    }
                }
            }
#if PAD_MODE == PAD_ZEROS
            else if (firstColumn >= -GUARD && firstColumn + LOAD_SPAN <= IN_W + GUARD) {
                /* The slice overhangs the row into zero padding: load whole vectors anyway (the guard keeps the
                 * reads inside the buffer) and zero the lanes that fall outside the row. */
                const IVEC column = firstColumn + LANE_INDEX * SW;
                const IVEC inside = column >= 0 && column < IN_W;
                for (int c = 0; c < CIN_G; c++) {
                    const VEC pixels = select((VEC)(0.0f), load_strided(inputRow + c * IN_PLANE + firstColumn),
                                              inside);
#pragma unroll
                    for (int o = 0; o < OC_TILE; o++) {
                        sums[o] = fma((VEC)(weightTap[o * CIN_G * TAPS + c * TAPS]), pixels, sums[o]);
                    }
                }
            }
#endif
            else {
                /* Reflect, replicate or circular borders (or a huge overhang): map each lane once, then gather. */
                int sourceColumn[VW];
                #pragma unroll
                for (int lane = 0; lane < VW; lane++) {
                    sourceColumn[lane] = firstOutColumn + lane < OUT_W
                            ? padded_source(firstColumn + lane * SW, IN_W) : -1;
                }
                for (int c = 0; c < CIN_G; c++) {
                    __global const float *channelRow = inputRow + c * IN_PLANE;
                    float lanes[VW];
                    #pragma unroll
                    for (int lane = 0; lane < VW; lane++) {
                        lanes[lane] = sourceColumn[lane] >= 0 ? channelRow[sourceColumn[lane]] : 0.0f;
                    }
                    const VEC pixels = VLOAD(0, lanes);
                    #pragma unroll
                    for (int o = 0; o < OC_TILE; o++) {
                        sums[o] = fma((VEC)(weightTap[o * CIN_G * TAPS + c * TAPS]), pixels, sums[o]);
                    }
                }
            }
        }
    }

#endif

    #pragma unroll
    for (int o = 0; o < OC_TILE; o++) {
        const int outChannel = firstOutChannel + o;
        const VEC result = EPILOGUE(sums[o], bias, outChannel);
        store_row_vector(sizes, result, output + ((image * OUT_C + outChannel) * OUT_H + outRow) * OUT_W,
                         firstOutColumn);
    }
}
#endif

#if CHANNEL_OUTER && JOINT_ROWS > 1
/*
 * JOINT_ROWS consecutive output rows of one work-item's tile at once (zero padding within the guard): each
 * broadcast weight feeds JOINT_ROWS multiply-adds instead of one, so the tile holds JOINT_ROWS x OC_TILE
 * accumulators and makes 1 / JOINT_ROWS of conv2d_row's weight loads per multiply-add. Rows past the output's end,
 * and taps whose input row falls in the padding, are masked to zeros, as conv2d_row masks its columns. Each output
 * sums channel-major, taps row-major within each channel, then the bias: the order of conv2d_row's CHANNEL_OUTER
 * path.
 */
inline void joint_rows(const plane_sizes sizes, __global const float *input, __global const float *weight,
                       __global const float *bias, __global float *output, const int tile, const int firstOutColumn,
                       const int image, const int firstRow) {
    const int firstOutChannel = tile * OC_TILE;
    const int group = firstOutChannel / COUT_G;
    __global const float *inputGroup = input + (image * IN_C + group * CIN_G) * IN_PLANE;
    __global const float *weightTile = weight + firstOutChannel * (CIN_G * TAPS);

    VEC sums[JOINT_ROWS][OC_TILE];
    #pragma unroll
    for (int j = 0; j < JOINT_ROWS; j++) {
        #pragma unroll
        for (int o = 0; o < OC_TILE; o++) {
            sums[j][o] = (VEC)(0.0f);
        }
    }
    int firstColumn[KW];
    IVEC columnInside[KW];
    tap_columns(sizes, firstOutColumn, firstColumn, columnInside);
    int rowOffset[JOINT_ROWS][KH];
    IVEC rowInside[JOINT_ROWS][KH];
    #pragma unroll
    for (int j = 0; j < JOINT_ROWS; j++) {
        #pragma unroll
        for (int ky = 0; ky < KH; ky++) {
            const int sourceRow = (firstRow + j) * SH - PAD_TOP + ky * DH;
            const bool inside = sourceRow >= 0 && sourceRow < IN_H && firstRow + j < OUT_H;
            rowInside[j][ky] = (IVEC)(inside ? -1 : 0);
            rowOffset[j][ky] = clamp(sourceRow, 0, IN_H - 1) * IN_W;
        }
    }
    for (int c = 0; c < CIN_G; c++) {
        __global const float *channel = inputGroup + c * IN_PLANE;
        __global const float *weightChannel = weightTile + c * TAPS;
        #pragma unroll
        for (int ky = 0; ky < KH; ky++) {
            #pragma unroll
            for (int kx = 0; kx < KW; kx++) {
                VEC pixels[JOINT_ROWS];
                #pragma unroll
                for (int j = 0; j < JOINT_ROWS; j++) {
                    pixels[j] = select((VEC)(0.0f), load_strided(channel + rowOffset[j][ky] + firstColumn[kx]),
                                       rowInside[j][ky] & columnInside[kx]);
                }
                #pragma unroll
                for (int o = 0; o < OC_TILE; o++) {
                    const VEC w = (VEC)(weightChannel[o * CIN_G * TAPS + ky * KW + kx]);
                    #pragma unroll
                    for (int j = 0; j < JOINT_ROWS; j++) {
                        sums[j][o] = fma(w, pixels[j], sums[j][o]);
                    }
                }
            }
        }
    }

    #pragma unroll
    for (int j = 0; j < JOINT_ROWS; j++) {
        if (firstRow + j < OUT_H) {
            #pragma unroll
            for (int o = 0; o < OC_TILE; o++) {
                const int outChannel = firstOutChannel + o;
                store_row_vector(sizes, EPILOGUE(sums[j][o], bias, outChannel),
                                 output + ((image * OUT_C + outChannel) * OUT_H + firstRow + j) * OUT_W,
                                 firstOutColumn);
            }
        }
    }
}
#endif

/* Not built beside conv2d_channel_vectors, whose OC_TILE (up to 64 channels) would unroll it past reason. */
#if !CHANNEL_VECTORS
__kernel void conv2d(__global const float *restrict inputBuffer, __global const float *restrict weightBuffer,
                     __global const float *restrict biasBuffer, __global float *restrict outputBuffer,
                     PLANE_SIZE_ARGUMENTS, const int rowBlocks) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    /* ROW_ID = image * rowBlocks + block; the block is ROWS consecutive output rows, so a work-item with little
     * work per row (a depthwise 3x3) still amortises its start-up over several rows. */
    const int image = ROW_ID / rowBlocks;
    const int firstRow = (ROW_ID - image * rowBlocks) * ROWS;
    for (int row = firstRow; row < firstRow + ROWS && row < OUT_H; row++) {
        conv2d_row(sizes, SKIP_GUARD(inputBuffer), SKIP_GUARD(weightBuffer), SKIP_GUARD(biasBuffer),
                   SKIP_GUARD(outputBuffer), TILE_ID, get_global_id(1) * VW, image, row);
    }
}
#endif

#if CHANNEL_OUTER && JOINT_ROWS > 1
/* conv2d with JOINT_ROWS rows at a time (joint_rows); the host makes ROWS a multiple of JOINT_ROWS. */
__kernel void conv2d_joint_rows(__global const float *restrict inputBuffer,
                                __global const float *restrict weightBuffer,
                                __global const float *restrict biasBuffer, __global float *restrict outputBuffer,
                                PLANE_SIZE_ARGUMENTS, const int rowBlocks) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    const int image = ROW_ID / rowBlocks;
    const int firstRow = (ROW_ID - image * rowBlocks) * ROWS;
    for (int row = firstRow; row < firstRow + ROWS && row < OUT_H; row += JOINT_ROWS) {
        joint_rows(sizes, SKIP_GUARD(inputBuffer), SKIP_GUARD(weightBuffer), SKIP_GUARD(biasBuffer),
                   SKIP_GUARD(outputBuffer), TILE_ID, get_global_id(1) * VW, image, row);
    }
}
#endif

#if CHANNEL_OUTER && CIN_G == 1 && COUT_G == 1
/* The KW column taps of input row sourceRow for the work-item's pixels, lanes outside the row zeroed. A row outside
 * the plane is read clamped into it, so its loads stay in bounds; the caller skips its taps. */
inline void depthwise_tap_row(const plane_sizes sizes, __global const float *plane, const int sourceRow,
                              const int *firstColumn, const IVEC *columnInside, VEC *pixels) {
    __global const float *inputRow = plane + clamp(sourceRow, 0, IN_H - 1) * IN_W;
    #pragma unroll
    for (int kx = 0; kx < KW; kx++) {
        pixels[kx] = select((VEC)(0.0f), load_strided(inputRow + firstColumn[kx]), columnInside[kx]);
    }
}

/*
 * Depthwise (each group one input and one output channel), guard-safe zero padding: work-item (channel, xVector,
 * rowBlock) keeps its KH x KW weights in registers and computes VW pixels of ROWS output rows. It sums in the same
 * order as conv2d's CHANNEL_OUTER path (taps row-major, then bias), so both give identical bits.
 */
__kernel void conv2d_depthwise(__global const float *restrict inputBuffer,
                               __global const float *restrict weightBuffer,
                               __global const float *restrict biasBuffer, __global float *restrict outputBuffer,
                               PLANE_SIZE_ARGUMENTS, const int rowBlocks) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    const int channel = TILE_ID;
    const int image = ROW_ID / rowBlocks;
    const int firstRow = (ROW_ID - image * rowBlocks) * ROWS;
    const int firstOutColumn = get_global_id(1) * VW;
    __global const float *plane = SKIP_GUARD(inputBuffer) + (image * IN_C + channel) * IN_PLANE;
    __global const float *weight = SKIP_GUARD(weightBuffer) + channel * TAPS;
    __global float *outputPlane = SKIP_GUARD(outputBuffer) + (image * OUT_C + channel) * OUT_H * OUT_W;

    float taps[TAPS];
    #pragma unroll
    for (int t = 0; t < TAPS; t++) {
        taps[t] = weight[t];
    }
    int firstColumn[KW];
    IVEC columnInside[KW];
    tap_columns(sizes, firstOutColumn, firstColumn, columnInside);

    const int lastRow = min(firstRow + ROWS, OUT_H);
    /* window[ky] holds the KW tap vectors of the current output row's tap row ky. With stride and dilation 1 down the
     * plane (ROLLING_WINDOW), output row r's tap row ky + 1 is output row r + 1's tap row ky, so each input row is
     * loaded once and kept for the KH output rows that read it: 3 loads per output vector instead of 9 at 3x3.
     * Otherwise each output row loads all its tap rows. The sums are the same either way, in the same order. */
#define ROLLING_WINDOW (SH == 1 && DH == 1)
    VEC window[KH][KW];
#if ROLLING_WINDOW
    #pragma unroll
    for (int ky = 0; ky < KH - 1; ky++) {
        depthwise_tap_row(sizes, plane, firstRow - PAD_TOP + ky, firstColumn, columnInside, window[ky]);
    }
#endif
    for (int row = firstRow; row < lastRow; row++) {
#if ROLLING_WINDOW
        depthwise_tap_row(sizes, plane, row - PAD_TOP + KH - 1, firstColumn, columnInside, window[KH - 1]);
#else
        #pragma unroll
        for (int ky = 0; ky < KH; ky++) {
            depthwise_tap_row(sizes, plane, row * SH - PAD_TOP + ky * DH, firstColumn, columnInside, window[ky]);
        }
#endif
        VEC sum = (VEC)(0.0f);
        #pragma unroll
        for (int ky = 0; ky < KH; ky++) {
            const int sourceRow = row * SH - PAD_TOP + ky * DH;
            if (sourceRow >= 0 && sourceRow < IN_H) {
                #pragma unroll
                for (int kx = 0; kx < KW; kx++) {
                    sum = fma((VEC)(taps[ky * KW + kx]), window[ky][kx], sum);
                }
            }
        }
        store_row_vector(sizes, EPILOGUE(sum, SKIP_GUARD(biasBuffer), channel), outputPlane + row * OUT_W,
                         firstOutColumn);
#if ROLLING_WINDOW
        #pragma unroll
        for (int ky = 0; ky < KH - 1; ky++) {
            #pragma unroll
            for (int kx = 0; kx < KW; kx++) {
                window[ky][kx] = window[ky + 1][kx];
            }
        }
#endif
    }
#undef ROLLING_WINDOW
}
#endif

/* The host launches conv2d_row_pairs only for output rows of at most 8 pixels (Conv2dPlan). */
#if ROW_PAIRS && CHANNEL_OUTER && VW == 16 && SW <= 2
/* Eight input pixels SW apart, starting at `first`: half a row-pair vector. */
inline float8 load_strided_half(__global const float *first) {
#if SW == 1
    return vload8(0, first);
#else
    return vload16(0, first).even;
#endif
}

/*
 * Rows of at most 8 outputs (seed_conv's 8x8 planes) would fill half a 16-lane vector: here lanes 0-7 are columns
 * 0-7 of output row 2 * pair and lanes 8-15 the same columns of the next row, so each multiply-add does twice the
 * work. Work-item (tile, 0, image * rowBlocks + pair); zero padding within the guard; it sums channel-major, taps
 * row-major within each channel, then the bias: the order of conv2d's CHANNEL_OUTER path, so the bits are the same.
 */
__kernel void conv2d_row_pairs(__global const float *restrict inputBuffer,
                               __global const float *restrict weightBuffer,
                               __global const float *restrict biasBuffer, __global float *restrict outputBuffer,
                               PLANE_SIZE_ARGUMENTS, const int rowBlocks) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    const int image = ROW_ID / rowBlocks;
    const int firstRow = (ROW_ID - image * rowBlocks) * 2;
    const int firstOutChannel = TILE_ID * OC_TILE;
    const int group = firstOutChannel / COUT_G;
    __global const float *inputGroup = SKIP_GUARD(inputBuffer) + (image * IN_C + group * CIN_G) * IN_PLANE;
    __global const float *weightTile = SKIP_GUARD(weightBuffer) + firstOutChannel * (CIN_G * TAPS);

    /* Lane i reads column (i % 8) of its row; the rows' insides are folded into one mask per tap row. */
    const IVEC laneColumn = LANE_INDEX & 7;
    int firstColumn[KW];
    IVEC columnInside[KW];
    #pragma unroll
    for (int kx = 0; kx < KW; kx++) {
        firstColumn[kx] = -PAD_LEFT + kx * DW;
        const IVEC column = firstColumn[kx] + laneColumn * SW;
        columnInside[kx] = column >= 0 && column < IN_W;
    }
    int upperOffset[KH];
    int lowerOffset[KH];
    IVEC rowInside[KH];
    #pragma unroll
    for (int ky = 0; ky < KH; ky++) {
        const int upperRow = firstRow * SH - PAD_TOP + ky * DH;
        const int lowerRow = upperRow + SH;
        upperOffset[ky] = clamp(upperRow, 0, IN_H - 1) * IN_W;
        lowerOffset[ky] = clamp(lowerRow, 0, IN_H - 1) * IN_W;
        const bool upperInside = upperRow >= 0 && upperRow < IN_H;
        const bool lowerInside = lowerRow >= 0 && lowerRow < IN_H && firstRow + 1 < OUT_H;
        rowInside[ky] = select((IVEC)(lowerInside ? -1 : 0), (IVEC)(upperInside ? -1 : 0), LANE_INDEX < 8);
    }

    VEC sums[OC_TILE];
    #pragma unroll
    for (int o = 0; o < OC_TILE; o++) {
        sums[o] = (VEC)(0.0f);
    }
    for (int c = 0; c < CIN_G; c++) {
        __global const float *channel = inputGroup + c * IN_PLANE;
        __global const float *weightChannel = weightTile + c * TAPS;
        #pragma unroll
        for (int ky = 0; ky < KH; ky++) {
            #pragma unroll
            for (int kx = 0; kx < KW; kx++) {
                const VEC pixels = (VEC)(load_strided_half(channel + upperOffset[ky] + firstColumn[kx]),
                                         load_strided_half(channel + lowerOffset[ky] + firstColumn[kx]));
                const VEC masked = select((VEC)(0.0f), pixels, rowInside[ky] & columnInside[kx]);
                #pragma unroll
                for (int o = 0; o < OC_TILE; o++) {
                    sums[o] = fma((VEC)(weightChannel[o * CIN_G * TAPS + ky * KW + kx]), masked, sums[o]);
                }
            }
        }
    }

    #pragma unroll
    for (int o = 0; o < OC_TILE; o++) {
        const int outChannel = firstOutChannel + o;
        const VEC result = EPILOGUE(sums[o], SKIP_GUARD(biasBuffer), outChannel);
        __global float *outputPlane = SKIP_GUARD(outputBuffer) + (image * OUT_C + outChannel) * OUT_H * OUT_W;
        float lanes[VW];
        VSTORE(result, 0, lanes);
        for (int column = 0; column < OUT_W; column++) {
            outputPlane[firstRow * OUT_W + column] = lanes[column];
        }
        if (firstRow + 1 < OUT_H) {
            for (int column = 0; column < OUT_W; column++) {
                outputPlane[(firstRow + 1) * OUT_W + column] = lanes[8 + column];
            }
        }
    }
}
#endif

#if PW_VECS > 0
/*
 * Pointwise (1x1, stride 1, unpadded): each image's pixels viewed as one row of OUT_W = IN_W pixels (IN_H = OUT_H
 * = 1). Work-item (tile, item, image) computes OC_TILE output channels x PW_VECS consecutive VW-pixel vectors, so
 * each broadcast weight feeds PW_VECS multiply-adds (the one-vector conv2d path spends a load per multiply-add) and
 * each input channel plane is read PW_VECS vectors at a time. Loads past the row end read the next channel or the
 * guard (the host keeps PW_VECS * VW <= GUARD); those lanes are never stored. Each output sums its channels in
 * order, then the bias: the order of conv2d's CHANNEL_OUTER path, so both give identical bits.
 */
__kernel void conv2d_pointwise(__global const float *restrict inputBuffer,
                               __global const float *restrict weightBuffer,
                               __global const float *restrict biasBuffer, __global float *restrict outputBuffer,
                               PLANE_SIZE_ARGUMENTS) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    const int image = ROW_ID;
    const int firstOutChannel = TILE_ID * OC_TILE;
    const int group = firstOutChannel / COUT_G;
    const int firstPixel = get_global_id(1) * (PW_VECS * VW);
    __global const float *pixels = SKIP_GUARD(inputBuffer) + (image * IN_C + group * CIN_G) * IN_PLANE + firstPixel;
    __global const float *weightTile = SKIP_GUARD(weightBuffer) + firstOutChannel * CIN_G;

    VEC sums[OC_TILE][PW_VECS];
    #pragma unroll
    for (int o = 0; o < OC_TILE; o++) {
        #pragma unroll
        for (int v = 0; v < PW_VECS; v++) {
            sums[o][v] = (VEC)(0.0f);
        }
    }
    for (int c = 0; c < CIN_G; c++) {
        VEC in[PW_VECS];
        #pragma unroll
        for (int v = 0; v < PW_VECS; v++) {
            in[v] = VLOAD(v, pixels + c * IN_PLANE);
        }
        #pragma unroll
        for (int o = 0; o < OC_TILE; o++) {
            const VEC w = (VEC)(weightTile[o * CIN_G + c]);
            #pragma unroll
            for (int v = 0; v < PW_VECS; v++) {
                sums[o][v] = fma(w, in[v], sums[o][v]);
            }
        }
    }

    #pragma unroll
    for (int o = 0; o < OC_TILE; o++) {
        const int outChannel = firstOutChannel + o;
        __global float *outputRow = SKIP_GUARD(outputBuffer) + (image * OUT_C + outChannel) * OUT_W;
        #pragma unroll
        for (int v = 0; v < PW_VECS; v++) {
            store_row_vector(sizes, EPILOGUE(sums[o][v], SKIP_GUARD(biasBuffer), outChannel), outputRow,
                             firstPixel + v * VW);
        }
    }
}
#endif

#if CHANNEL_VECTORS > 0
#include "channel_vectors.cl"

/*
 * Output channels in the lanes (the layout of ONNX Runtime's NCHWc kernels): work-item (tile, pixelBlock, row)
 * computes OC_TILE = CHANNEL_VECTORS x VW output channels of PIXELS consecutive pixels of one output row. A tap's
 * weights are CHANNEL_VECTORS vector loads from the re-laid weights ([tile][channel][tap][OC_TILE], made once per layer
 * by weight_layout.cl), and each input pixel is one scalar broadcast into CHANNEL_VECTORS multiply-adds. No lane idles
 * at a row's end (56-pixel rows leave 1/8 of 16-lane pixel vectors idle), and strided layers load their pixels
 * without shuffles. Zero padding, every load within the guard (the host checks); a work-item whose columns all fall
 * inside the row skips the masks. It sums channel-major, taps row-major within each channel, then the bias: the
 * order of conv2d's CHANNEL_OUTER path, so the bits are the same.
 *
 * The tap-column loop stays rolled: unrolled, the compiler keeps the pixels one column step shares with the next in
 * registers, which spills the accumulators (measured on PoCL: 1.5x slower).
 */
#define CHANNEL_VECTOR_TAPS(MASKED)                                                                                   \
    for (int c = 0; c < CIN_G; c++) {                                                                                 \
        __global const float *channel = inputGroup + c * IN_PLANE;                                                    \
        __global const float *weightChannel = weightTile + c * (TAPS * OC_TILE);                                      \
        _Pragma("unroll") for (int ky = 0; ky < KH; ky++) {                                                           \
            if (!rowInside[ky]) {                                                                                     \
                continue;                                                                                             \
            }                                                                                                         \
            _Pragma("unroll 1") for (int kx = 0; kx < KW; kx++) {                                                     \
                VEC weights[CHANNEL_VECTORS];                                                                         \
                _Pragma("unroll") for (int v = 0; v < CHANNEL_VECTORS; v++) {                                         \
                    weights[v] = VLOAD((ky * KW + kx) * CHANNEL_VECTORS + v, weightChannel);                          \
                }                                                                                                     \
                __global const float *tapPixels = channel + rowOffset[ky] + firstColumn + kx * DW;                    \
                _Pragma("unroll") for (int p = 0; p < PIXELS; p++) {                                                  \
                    float pixel = tapPixels[p * SW];                                                                  \
                    if (MASKED) {                                                                                     \
                        const int column = firstColumn + kx * DW + p * SW;                                            \
                        pixel = column >= 0 && column < IN_W ? pixel : 0.0f;                                          \
                    }                                                                                                 \
                    _Pragma("unroll") for (int v = 0; v < CHANNEL_VECTORS; v++) {                                     \
                        sums[p][v] = fma((VEC)(pixel), weights[v], sums[p][v]);                                       \
                    }                                                                                                 \
                }                                                                                                     \
            }                                                                                                         \
        }                                                                                                             \
    }

__kernel void conv2d_channel_vectors(__global const float *restrict inputBuffer,
                                     __global const float *restrict weightBuffer,
                                     __global const float *restrict biasBuffer,
                                     __global float *restrict outputBuffer, PLANE_SIZE_ARGUMENTS) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    const int image = ROW_ID / OUT_H;
    const int outRow = ROW_ID - image * OUT_H;
    const int firstOutChannel = TILE_ID * OC_TILE;
    const int group = firstOutChannel / COUT_G;
    const int firstOutColumn = get_global_id(1) * PIXELS;
    __global const float *inputGroup = SKIP_GUARD(inputBuffer) + (image * IN_C + group * CIN_G) * IN_PLANE;
    __global const float *weightTile = SKIP_GUARD(weightBuffer) + firstOutChannel * (CIN_G * TAPS);

    bool rowInside[KH];
    int rowOffset[KH];
    tap_rows(sizes, outRow, rowInside, rowOffset);
    const int firstColumn = firstOutColumn * SW - PAD_LEFT;
    const bool inside = firstColumn >= 0 && firstColumn + (PIXELS - 1) * SW + (KW - 1) * DW < IN_W;

    ACCUMULATE_CHANNEL_VECTORS(inside)

    /* Lane l of sums[p][v] is output channel firstOutChannel + v * VW + l at pixel p: one scalar store each. */
    __global float *outputRow =
            SKIP_GUARD(outputBuffer) + ((image * OUT_C + firstOutChannel) * OUT_H + outRow) * OUT_W + firstOutColumn;
    __global const float *tileBias = SKIP_GUARD(biasBuffer) + firstOutChannel;
    #pragma unroll
    for (int v = 0; v < CHANNEL_VECTORS; v++) {
        #pragma unroll
        for (int p = 0; p < PIXELS; p++) {
            if (firstOutColumn + p < OUT_W) {
                float lanes[VW];
                VSTORE(activate(WITH_VECTOR_BIAS(sums[p][v], tileBias, v)), 0, lanes);
                #pragma unroll
                for (int lane = 0; lane < VW; lane++) {
                    outputRow[(v * VW + lane) * OUT_PLANE + p] = lanes[lane];
                }
            }
        }
    }
}
#endif
