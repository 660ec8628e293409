package dev.jconv.backend.java;

import dev.jconv.Activation;
import dev.jconv.geometry.ConvSizes;

/**
 * One convolution written as a matrix product, {@code out[m, pixel] = sum_k A[m, k] * B[k, pixel]} per (image, group),
 * where B is never stored: {@code B[(c, ty, tx), (y, x)] = input[c, rowSource[y, ty], columnSource[x, tx]]}, or 0 when
 * a source is {@link PaddedIndex#ZERO}. Conv2d and each sub-pixel phase of ConvTranspose2d are both this shape; they
 * differ only in the taps, the weight matrix and where the pixel grid lands in the output.
 *
 * @param sizes         the convolution call's batch, channels, groups, input and output planes
 * @param activation    applied to each output after the bias, before it is stored
 * @param weights       A for every group, group g at {@code weightsOffset + g * outChannelsPerGroup * depth()}, row
 *                      stride depth()
 * @param bias          one value per output channel, or null
 */
record GatherGemm(
        ConvSizes sizes,
        Activation activation,
        float[] weights,
        int weightsOffset,
        float[] bias,
        Taps taps,
        OutputGrid grid) {

    /**
     * The kernel taps that reach this grid, and where each grid pixel reads through them.
     *
     * @param rowSource    for grid row y and row tap ty, at {@code y * rows + ty}: the input row, or ZERO
     * @param columnSource for grid column x and column tap tx, at {@code x * columns + tx}: the input column, or ZERO
     */
    record Taps(int rows, int columns, int[] rowSource, int[] columnSource) {}

    /**
     * The pixel grid this product computes, and where it lands in an output plane: the whole plane for Conv2d, one
     * stride phase of it for ConvTranspose2d.
     *
     * @param start        offset of grid pixel (0, 0) inside an output plane
     * @param rowStride    distance in the output between grid rows
     * @param columnStride distance in the output between grid columns
     */
    record OutputGrid(int height, int width, int start, int rowStride, int columnStride) {}

    /** K: the length of every output element's sum. */
    int depth() {
        return sizes.inChannelsPerGroup() * taps.rows() * taps.columns();
    }

    /** N: the pixels of one (image, group). */
    int pixels() {
        return grid.height() * grid.width();
    }

    int inputPlane() {
        return sizes.inHeight() * sizes.inWidth();
    }

    int outputPlane() {
        return sizes.outHeight() * sizes.outWidth();
    }
}
