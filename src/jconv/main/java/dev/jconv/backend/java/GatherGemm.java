package dev.jconv.backend.java;

import dev.jconv.Activation;

/**
 * One convolution written as a matrix product, {@code out[m, pixel] = sum_k A[m, k] * B[k, pixel]} per (image, group),
 * where B is never stored: {@code B[(c, ty, tx), (y, x)] = input[c, rowSource[y, ty], columnSource[x, tx]]}, or 0 when
 * a source is {@link PaddedIndex#ZERO}. Conv2d and each sub-pixel phase of ConvTranspose2d are both this shape; they
 * differ only in the source maps, the weight matrix and where the pixel grid lands in the output.
 *
 * @param weights          A for every group, group g at {@code weightsOffset + g * outChannelsPerGroup * depth()}, row
 *                         stride depth()
 * @param rowSource        for grid row y and row tap ty, at {@code y * tapRows + ty}: the input row, or ZERO
 * @param columnSource     for grid column x and column tap tx, at {@code x * tapColumns + tx}: the input column, or
 * ZERO
 * @param outputStart      offset of grid pixel (0, 0) inside an output plane
 * @param outputRowStride  distance in the output between grid rows
 * @param outputColumnStride distance in the output between grid columns
 * @param activation       applied to each output after the bias, before it is stored
 */
record GatherGemm(
        int batch,
        int groups,
        int outChannelsPerGroup,
        int channelsPerGroup,
        int tapRows,
        int tapColumns,
        float[] weights,
        int weightsOffset,
        float[] bias,
        Activation activation,
        int inChannels,
        int inHeight,
        int inWidth,
        int[] rowSource,
        int[] columnSource,
        int gridHeight,
        int gridWidth,
        int outChannels,
        int outputPlane,
        int outputStart,
        int outputRowStride,
        int outputColumnStride) {

    /** K: the length of every output element's sum. */
    int depth() {
        return channelsPerGroup * tapRows * tapColumns;
    }

    /** N: the pixels of one (image, group). */
    int pixels() {
        return gridHeight * gridWidth;
    }

    int inputPlane() {
        return inHeight * inWidth;
    }
}
