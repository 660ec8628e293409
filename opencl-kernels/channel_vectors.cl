/*
 * What the channel-vector kernels (conv2d_channel_vectors, conv_transpose2d_channel_vectors) share. A work-item's sums
 * hold CHANNEL_VECTORS x VW output channels (lanes) of PIXELS pixels of one output row.
 *
 * The staged epilogue (conv_transpose2d_channel_vectors): stored straight from registers, each lane goes to its own
 * output plane, and 64 stores one plane apart (4 KiB at 32x32) fall in one L1 set and evict each other. So the
 * work-group, which covers one output row of one channel tile, first puts its outputs into the row in local memory (row
 * stride rowStride floats per channel), then, after a barrier, copies each channel's row out as 16-float lines.
 *
 * Required: VEC, VW, VLOAD, VSTORE, activate (common.cl), HAS_BIAS, OC_TILE, CHANNEL_VECTORS, PIXELS; the including
 * file's CHANNEL_VECTOR_TAPS(MASKED), which accumulates an item's taps into sums, masking loads outside the input row
 * when MASKED.
 */

/* Declares the work-item's sums[PIXELS][CHANNEL_VECTORS], zeroed, and accumulates them with CHANNEL_VECTOR_TAPS:
 * without the masks when every load of the item falls inside the input row. */
#define ACCUMULATE_CHANNEL_VECTORS(inside)                                                                            \
    VEC sums[PIXELS][CHANNEL_VECTORS];                                                                                \
    _Pragma("unroll") for (int p = 0; p < PIXELS; p++) {                                                              \
        _Pragma("unroll") for (int v = 0; v < CHANNEL_VECTORS; v++) {                                                 \
            sums[p][v] = (VEC)(0.0f);                                                                                 \
        }                                                                                                             \
    }                                                                                                                 \
    if (inside) {                                                                                                     \
        CHANNEL_VECTOR_TAPS(false)                                                                                    \
    } else {                                                                                                          \
        CHANNEL_VECTOR_TAPS(true)                                                                                     \
    }

/* Puts sums[p][v] + bias, activated, into the staged row: pixel p at column firstColumn + p * step. bias points at
 * the tile's first channel's bias (unread without HAS_BIAS). A macro over the kernel's own sums: passed to a function
 * as an array, they went through memory and dcgan_T3's kernel took twice as long (PoCL, 7.8 ms against 3.4). */
#if HAS_BIAS
#define WITH_VECTOR_BIAS(sum, bias, v) ((sum) + VLOAD(0, (bias) + (v) * VW))
#else
#define WITH_VECTOR_BIAS(sum, bias, v) (sum)
#endif
#define STAGE_CHANNEL_VECTORS(sums, bias, stagedRow, rowStride, firstColumn, step)                                    \
    _Pragma("unroll") for (int v = 0; v < CHANNEL_VECTORS; v++) {                                                     \
        _Pragma("unroll") for (int p = 0; p < PIXELS; p++) {                                                          \
            float lanes[VW];                                                                                          \
            VSTORE(activate(WITH_VECTOR_BIAS(sums[p][v], bias, v)), 0, lanes);                                        \
            __local float *staged = (stagedRow) + (v * VW) * (rowStride) + (firstColumn) + p * (step);                \
            _Pragma("unroll") for (int lane = 0; lane < VW; lane++) {                                                 \
                staged[lane * (rowStride)] = lanes[lane];                                                             \
            }                                                                                                         \
        }                                                                                                             \
    }

/* After the barrier: the work-group copies the staged row's first `width` columns of each of the OC_TILE channels to
 * outputRow + channel * outputPlane, as 16-float lines and a shorter last one, spread over its items. */
inline void copy_staged_row(__local const float *stagedRow, const int rowStride, __global float *outputRow,
                            const int outputPlane, const int width) {
    const int lines = (width + 15) / 16;
    for (int index = get_local_id(1); index < OC_TILE * lines; index += get_local_size(1)) {
        const int channel = index / lines;
        const int x = (index - channel * lines) * 16;
        __local const float *from = stagedRow + channel * rowStride + x;
        __global float *to = outputRow + channel * outputPlane + x;
        if (x + 16 <= width) {
            vstore16(vload16(0, from), 0, to);
        } else {
            for (int k = 0; k < width - x; k++) {
                to[k] = from[k];
            }
        }
    }
}
