/*
 * Vector helpers shared by the convolution kernels; included by the host's #include resolver (KernelSources).
 * VW, the lane count, is 4, 8 or 16: VEC is floatVW, VLOAD/VSTORE its unaligned load/store, and VLOAD_EVEN(p)
 * loads p[0], p[2], ..., p[2 * (VW - 1)] by reading 2 * VW floats and keeping the even ones.
 */

#if VW == 4
#define VEC float4
#define VLOAD vload4
#define VSTORE vstore4
#define VLOAD_EVEN(p) (vload8(0, (p)).even)
#elif VW == 8
#define VEC float8
#define VLOAD vload8
#define VSTORE vstore8
#define VLOAD_EVEN(p) (vload16(0, (p)).even)
#elif VW == 16
#define VEC float16
#define VLOAD vload16
#define VSTORE vstore16
#define VLOAD_EVEN(p) ((float16)(vload16(0, (p)).even, vload16(0, (p) + 16).even))
#else
#error "VW must be 4, 8 or 16"
#endif
