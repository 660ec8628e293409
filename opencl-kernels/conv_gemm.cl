/*
 * Conv2d and ConvTranspose2d as an implicit GEMM, shaped for GPUs and tuned per device (GemmParameters on the host;
 * the parameter names follow CLBlast's Xgemm). Per group (and, transposed, per stride phase) it computes
 *
 *     C[m][n] = sum over k of A[m][k] * B[k][n]
 *
 * with m an output channel of the group, n an output pixel (image, row, column) and k an (input channel, tap)
 * pair. A is the weight tensor read in place; B is never materialised: each element is gathered from the input with
 * the padding rules (padding.cl), so there is no im2col buffer.
 *
 * ConvTranspose2d stays a gather: output pixels with the same (row % SH, column % SW) phase are reached by the same
 * taps, so each phase is its own GEMM over only the taps that reach it (no multiply by a structural zero, no
 * atomics). NDRange dimension 2 enumerates group x phase.
 *
 * Work-group: NDIMC x MDIMC work-items own an NWG x MWG tile of C; each work-item accumulates NWG/NDIMC x MWG/MDIMC
 * outputs in registers, at n = tile start + local id + i * NDIMC (neighbouring work-items, neighbouring pixels:
 * coalesced on GPUs, vectorised across work-items by PoCL). The reduction runs in slices of KWG; with SA (SB) each
 * slice of A (B) is first staged in local memory by the whole work-group, otherwise every work-item reads global
 * memory directly (better on CPUs, where local memory is just more memory and barriers are costly).
 *
 * Summation order: every output sums k = 0, 1, ..., K - 1 in order with fma from zero, then adds the bias, whatever
 * the tile parameters: results are bitwise identical run to run for a fixed parameter set.
 *
 * Rows and columns past the ends of C are computed on clamped (valid) indices and never stored, so the inner loops
 * carry no bounds checks. Zero padding contributes exact zeros, like PyTorch's im2col.
 *
 * Required defines: IN_C OUT_C CIN_G COUT_G GROUPS KH KW SH SW DH DW HAS_BIAS TRANSPOSED
 *                   ACTIVATION (see activation.cl)
 *                   Conv2d: PAD_TOP PAD_LEFT PAD_MODE; ConvTranspose2d: PH PW KY_STEP KX_STEP
 *                   tuning: MWG NWG KWG MDIMC NDIMC SA SB
 * Kernel arguments: the four buffers (input, weight, bias, output; each with GUARD floats of slack), the plane sizes
 * (plane_sizes.cl) and the batch, so one build serves every input size of a layer. Channels stay #defines: a layer's
 * weights fix them, and the reduction's (channel, tap) split divides by constants.
 */

#if !TRANSPOSED
#include "padding.cl"
#endif
#include "activation.cl"
#include "guard.cl"
#include "plane_sizes.cl"

#define TAPS (KH * KW)
#define WORK_GROUP_SIZE (MDIMC * NDIMC)
#define MWI (MWG / MDIMC)
#define NWI (NWG / NDIMC)

#if MWG % MDIMC != 0 || NWG % NDIMC != 0
#error "MWG must be a multiple of MDIMC and NWG of NDIMC"
#endif

/* One GEMM of the launch: which group it is, its pixel and reduction lengths, and (transposed) its phase's taps. */
typedef struct {
    plane_sizes sizes;
    int group;
    int pixels;
    int reduction;
#if TRANSPOSED
    int phaseRow, phaseColumn;     /* output row % SH and column % SW of every pixel of this GEMM */
    int phaseRows, phaseColumns;   /* output rows and columns in the phase */
    int firstKy, countKy;          /* the taps that reach the phase: firstKy + t * KY_STEP, t < countKy */
    int firstKx, countKx;
#endif
} problem;

#if TRANSPOSED
/*
 * The first of the taps ky that reach output rows of phase `phase` (those with (phase + pad - ky * dilation) a
 * multiple of the stride; they repeat every `step`), and how many of the `taps` there are.
 */
inline void phase_taps(int phase, int pad, int dilation, int stride, int step, int taps, int *first, int *count) {
    *count = 0;
    *first = 0;
    for (int tap = 0; tap < step && tap < taps; tap++) {
        int offset = phase + pad - tap * dilation;
        if (((offset % stride) + stride) % stride == 0) {
            *first = tap;
            *count = (taps - 1 - tap) / step + 1;
            return;
        }
    }
}
#endif

inline problem problem_of(const int slice, const int batch, const plane_sizes sizes) {
    problem p;
    p.sizes = sizes;
#if TRANSPOSED
    p.group = slice % GROUPS;
    const int phase = slice / GROUPS;
    p.phaseRow = phase / SW;
    p.phaseColumn = phase % SW;
    p.phaseRows = p.phaseRow < OUT_H ? (OUT_H - p.phaseRow + SH - 1) / SH : 0;
    p.phaseColumns = p.phaseColumn < OUT_W ? (OUT_W - p.phaseColumn + SW - 1) / SW : 0;
    phase_taps(p.phaseRow, PH, DH, SH, KY_STEP, KH, &p.firstKy, &p.countKy);
    phase_taps(p.phaseColumn, PW, DW, SW, KX_STEP, KW, &p.firstKx, &p.countKx);
    p.pixels = batch * p.phaseRows * p.phaseColumns;
    p.reduction = CIN_G * p.countKy * p.countKx;
#else
    p.group = slice;
    p.pixels = batch * OUT_PLANE;
    p.reduction = CIN_G * TAPS;
#endif
    return p;
}

/* Which input channel and kernel tap (ky, kx) reduction index k stands for. */
inline void tap_position(const problem *p, const int k, int *channel, int *ky, int *kx) {
#if TRANSPOSED
    const int tapsPerChannel = p->countKy * p->countKx;
    *channel = k / tapsPerChannel;
    const int index = k - *channel * tapsPerChannel;
    const int ty = index / p->countKx;
    *ky = p->firstKy + ty * KY_STEP;
    *kx = p->firstKx + (index - ty * p->countKx) * KX_STEP;
#else
    *channel = k / TAPS;
    const int index = k - *channel * TAPS;
    *ky = index / KW;
    *kx = index - *ky * KW;
#endif
}

/* Which image, output row and output column pixel n of the GEMM is. */
inline void pixel_position(const problem *p, const int n, int *image, int *outRow, int *outColumn) {
    const plane_sizes sizes = p->sizes;
#if TRANSPOSED
    /* A phase that holds no pixels still gets positions (never used): divide by at least 1. */
    const int phaseColumns = max(p->phaseColumns, 1);
    const int phasePlane = max(p->phaseRows, 1) * phaseColumns;
    *image = n / phasePlane;
    const int pixel = n - *image * phasePlane;
    const int phaseY = pixel / phaseColumns;
    *outRow = p->phaseRow + phaseY * SH;
    *outColumn = p->phaseColumn + (pixel - phaseY * phaseColumns) * SW;
#else
    *image = n / OUT_PLANE;
    const int pixel = n - *image * OUT_PLANE;
    *outRow = pixel / OUT_W;
    *outColumn = pixel - *outRow * OUT_W;
#endif
}

/* A[m][k]: the weight of output channel m (within the group) for reduction index k. */
inline float weight_at(__global const float *weight, const problem *p, const int m, const int k) {
#if TRANSPOSED
    int channel, ky, kx;
    tap_position(p, k, &channel, &ky, &kx);
    /* ConvTranspose2d weights are [in, out / groups, KH, KW]. */
    return weight[((p->group * CIN_G + channel) * COUT_G + m) * TAPS + ky * KW + kx];
#else
    /* Conv2d weights are [out, in / groups, KH, KW]: row m of A is contiguous in k. */
    return weight[(p->group * COUT_G + m) * (CIN_G * TAPS) + k];
#endif
}

/* Where output pixel n reads its input: the image's group planes and the input row and column its taps are offset
 * from. Found once per pixel, so the reduction loop only adds each tap's offset. */
typedef struct {
    int planes;     /* offset of (image, first channel of the group) in the input */
    int row;        /* Conv2d: the padded input row of tap ky = 0; transposed: output row + PH */
    int column;
} pixel_origin;

/* Which input plane and tap offsets reduction index k stands for. */
typedef struct {
    int plane;      /* channel * IN_PLANE */
    int row;        /* ky * DH */
    int column;     /* kx * DW */
} reduction_tap;

inline pixel_origin origin_of(const problem *p, const int n) {
    const plane_sizes sizes = p->sizes;
    int image, outRow, outColumn;
    pixel_position(p, n, &image, &outRow, &outColumn);
    pixel_origin origin;
#if TRANSPOSED
    origin.row = outRow + PH;
    origin.column = outColumn + PW;
#else
    origin.row = outRow * SH - PAD_TOP;
    origin.column = outColumn * SW - PAD_LEFT;
#endif
    origin.planes = (image * IN_C + p->group * CIN_G) * IN_PLANE;
    return origin;
}

inline reduction_tap tap_of(const problem *p, const int k) {
    const plane_sizes sizes = p->sizes;
    int channel, ky, kx;
    tap_position(p, k, &channel, &ky, &kx);
    reduction_tap tap = {channel * IN_PLANE, ky * DH, kx * DW};
    return tap;
}

/* B[k][n]: the input element that a pixel multiplies by the weight of a tap (0 for padding). */
inline float input_at(__global const float *input, const problem *p, const pixel_origin origin,
                      const reduction_tap tap) {
    const plane_sizes sizes = p->sizes;
#if TRANSPOSED
    /* Exact divisions: the phase's taps make both numerators multiples of the stride. */
    const int row = (origin.row - tap.row) / SH;
    const int column = (origin.column - tap.column) / SW;
    const bool inside = row >= 0 && row < IN_H && column >= 0 && column < IN_W;
#else
    const int row = padded_source(origin.row + tap.row, IN_H);
    const int column = padded_source(origin.column + tap.column, IN_W);
    const bool inside = row >= 0 && column >= 0;
#endif
    return inside ? input[origin.planes + tap.plane + row * IN_W + column] : 0.0f;
}

/* Where C[m][n] goes in the NCHW output. */
inline int output_index(const problem *p, const int m, const int n) {
    const plane_sizes sizes = p->sizes;
    int image, outRow, outColumn;
    pixel_position(p, n, &image, &outRow, &outColumn);
    return ((image * OUT_C + p->group * COUT_G + m) * OUT_H + outRow) * OUT_W + outColumn;
}

/* The host defines DECLARE_WORK_GROUP_SIZE on every driver but PoCL's CPU one, where the attribute lets a binary store
 * abort the process (DriverWorkarounds.java says how). Launches use NDIMC x MDIMC either way. */
#ifdef DECLARE_WORK_GROUP_SIZE
#define GEMM_WORK_GROUP __attribute__((reqd_work_group_size(NDIMC, MDIMC, 1)))
#else
#define GEMM_WORK_GROUP
#endif

__kernel GEMM_WORK_GROUP
void conv_gemm(__global const float *restrict inputBuffer, __global const float *restrict weightBuffer,
               __global const float *restrict biasBuffer, __global float *restrict outputBuffer,
               PLANE_SIZE_ARGUMENTS, const int batch) {
    const plane_sizes sizes = PLANE_SIZES_OF_ARGUMENTS;
    __global const float *input = SKIP_GUARD(inputBuffer);
    __global const float *weight = SKIP_GUARD(weightBuffer);
    __global float *output = SKIP_GUARD(outputBuffer);
    const problem p = problem_of((int)get_global_id(2), batch, sizes);
    const int firstN = (int)get_group_id(0) * NWG;
    const int firstM = (int)get_group_id(1) * MWG;
    /* Work-groups past the end of a shorter phase do nothing: no early return, since every work-item must reach
     * the barriers, and the length is the same for the whole work-group. */
    const int reduction = firstN < p.pixels ? p.reduction : 0;
    const int localN = (int)get_local_id(0);
    const int localM = (int)get_local_id(1);
#if SA || SB
    const int localId = localM * NDIMC + localN;
#endif
#if SA
    __local float tileA[KWG][MWG];
#endif
#if SB
    __local float tileB[KWG][NWG];
#endif

#if !SB
    pixel_origin origins[NWI];
    #pragma unroll
    for (int i = 0; i < NWI; i++) {
        origins[i] = origin_of(&p, min(firstN + localN + i * NDIMC, max(p.pixels - 1, 0)));
    }
#endif

    float sums[MWI][NWI];
    #pragma unroll
    for (int j = 0; j < MWI; j++) {
        #pragma unroll
        for (int i = 0; i < NWI; i++) {
            sums[j][i] = 0.0f;
        }
    }

    for (int firstK = 0; firstK < reduction; firstK += KWG) {
        const int sliceK = min(KWG, reduction - firstK);
#if SA
        /* k fastest: consecutive work-items read consecutive weights of a Conv2d row. */
        for (int index = localId; index < KWG * MWG; index += WORK_GROUP_SIZE) {
            const int kk = index % KWG;
            const int mm = index / KWG;
            tileA[kk][mm] = kk < sliceK ? weight_at(weight, &p, min(firstM + mm, COUT_G - 1), firstK + kk) : 0.0f;
        }
#endif
#if SB
        for (int index = localId; index < KWG * NWG; index += WORK_GROUP_SIZE) {
            const int nn = index % NWG;
            const int kk = index / NWG;
            tileB[kk][nn] = kk < sliceK ? input_at(input, &p, origin_of(&p, min(firstN + nn, p.pixels - 1)),
                                                   tap_of(&p, firstK + kk)) : 0.0f;
        }
#endif
#if SA || SB
        barrier(CLK_LOCAL_MEM_FENCE);
#endif
        for (int kk = 0; kk < sliceK; kk++) {
            float a[MWI];
            float b[NWI];
#if !SB
            const reduction_tap tap = tap_of(&p, firstK + kk);
#endif
            #pragma unroll
            for (int j = 0; j < MWI; j++) {
#if SA
                a[j] = tileA[kk][localM + j * MDIMC];
#else
                a[j] = weight_at(weight, &p, min(firstM + localM + j * MDIMC, COUT_G - 1), firstK + kk);
#endif
            }
            #pragma unroll
            for (int i = 0; i < NWI; i++) {
#if SB
                b[i] = tileB[kk][localN + i * NDIMC];
#else
                b[i] = input_at(input, &p, origins[i], tap);
#endif
            }
            #pragma unroll
            for (int j = 0; j < MWI; j++) {
                #pragma unroll
                for (int i = 0; i < NWI; i++) {
                    sums[j][i] = fma(a[j], b[i], sums[j][i]);
                }
            }
        }
#if SA || SB
        /* Nobody overwrites a tile that another work-item is still reading. */
        barrier(CLK_LOCAL_MEM_FENCE);
#endif
    }

    #pragma unroll
    for (int j = 0; j < MWI; j++) {
        const int m = firstM + localM + j * MDIMC;
        if (m >= COUT_G) {
            continue;
        }
#if HAS_BIAS
        const float bias = SKIP_GUARD(biasBuffer)[p.group * COUT_G + m];
#endif
        #pragma unroll
        for (int i = 0; i < NWI; i++) {
            const int n = firstN + localN + i * NDIMC;
            if (n < p.pixels) {
#if HAS_BIAS
                const float biased = sums[j][i] + bias;
#else
                const float biased = sums[j][i];
#endif
                output[output_index(&p, m, n)] = ACTIVATE(biased);
            }
        }
    }
}
