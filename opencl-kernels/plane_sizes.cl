/*
 * The input and output plane sizes of one launch. They are kernel arguments, not #defines, so one build of a program
 * serves every input size of a layer: a new image size costs a launch, not a compile. What shapes the register tiles
 * (kernel size, stride, dilation, padding mode, channels, tile parameters, activation) stays a #define.
 *
 * Each kernel gathers its size arguments into one plane_sizes value named `sizes` and hands it to the helpers that
 * need it; IN_H, IN_W, OUT_H and OUT_W read the `sizes` in scope, so the index maths reads as it did when they were
 * constants. For conv2d_pointwise the host passes each image's pixels as one row (height 1, width H x W).
 */

typedef struct {
    int inHeight;
    int inWidth;
    int outHeight;
    int outWidth;
} plane_sizes;

/* The size arguments every convolution kernel takes right after its four buffers, in this order (see
 * KernelLaunch.planeSizes on the host). */
#define PLANE_SIZE_ARGUMENTS const int inHeight, const int inWidth, const int outHeight, const int outWidth
#define PLANE_SIZES_OF_ARGUMENTS {inHeight, inWidth, outHeight, outWidth}

#define IN_H (sizes.inHeight)
#define IN_W (sizes.inWidth)
#define OUT_H (sizes.outHeight)
#define OUT_W (sizes.outWidth)
#define IN_PLANE (IN_H * IN_W)
#define OUT_PLANE (OUT_H * OUT_W)
