/*
 * Helpers shared by the convolution kernels; included by the host's #include resolver (KernelSources).
 *
 * Work-item layout: the NDRange is (channel tile, row vector, output row) unless TILES_OUTER is 1, which swaps
 * dimensions 0 and 2. Drivers hand out work-groups with dimension 0 varying fastest, so the operand indexed by the
 * slow dimension is streamed once while the other stays in cache: the host picks TILES_OUTER when the weights are
 * larger than one image's input.
 * VW, the lane count, is 4, 8 or 16: VEC is floatVW, VLOAD/VSTORE its unaligned load/store, and VLOAD_EVEN(p)
 * loads p[0], p[2], ..., p[2 * (VW - 1)] by reading 2 * VW floats and keeping the even ones. IVEC is the matching
 * int vector and LANE_INDEX holds 0, 1, ..., VW - 1.
 *
 * Every buffer the host allocates has GUARD floats of slack before and after its data (kernels receive pointers to
 * the buffer start and skip the guard), so a vector load near a border may read up to GUARD floats outside the data;
 * the lanes it reads there are always discarded with select().
 */

#include "guard.cl"
#include "plane_sizes.cl"

#if TILES_OUTER
#define TILE_ID ((int)get_global_id(2))
#define ROW_ID ((int)get_global_id(0))
#else
#define TILE_ID ((int)get_global_id(0))
#define ROW_ID ((int)get_global_id(2))
#endif

#if VW == 4
#define VEC float4
#define VLOAD vload4
#define VSTORE vstore4
#define VLOAD_EVEN(p) (vload8(0, (p)).even)
#define IVEC int4
#define VSTORE_INT(v, p) vstore4((v), 0, (p))
#define LANE_INDEX ((int4)(0, 1, 2, 3))
#elif VW == 8
#define VEC float8
#define VLOAD vload8
#define VSTORE vstore8
#define VLOAD_EVEN(p) (vload16(0, (p)).even)
#define IVEC int8
#define VSTORE_INT(v, p) vstore8((v), 0, (p))
#define LANE_INDEX ((int8)(0, 1, 2, 3, 4, 5, 6, 7))
#elif VW == 16
#define VEC float16
#define VLOAD vload16
#define VSTORE vstore16
#define VLOAD_EVEN(p) ((float16)(vload16(0, (p)).even, vload16(0, (p) + 16).even))
#define IVEC int16
#define VSTORE_INT(v, p) vstore16((v), 0, (p))
#define LANE_INDEX ((int16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15))
#else
#error "VW must be 4, 8 or 16"
#endif

/* A sum with its output channel's bias added, when the kernel is built with one (HAS_BIAS). */
#if HAS_BIAS
#define WITH_BIAS(sum, bias, channel) ((sum) + (VEC)((bias)[channel]))
#else
#define WITH_BIAS(sum, bias, channel) (sum)
#endif

#include "activation.cl"

inline VEC activate(const VEC x) {
    return ACTIVATE(x);
}

/* The fused epilogue: bias, then the activation, applied to a sum just before it is stored. */
#define EPILOGUE(sum, bias, channel) activate(WITH_BIAS(sum, bias, channel))
