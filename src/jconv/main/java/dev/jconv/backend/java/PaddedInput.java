package dev.jconv.backend.java;

import dev.jconv.PaddingMode;
import java.util.Arrays;

/**
 * A copy of the input with its padding resolved (zeros, reflect, replicate or circular, as F.pad fills it), so a
 * convolution whose grid advances one input pixel per output pixel (stride 1, and every phase of a transposed
 * convolution) can read each kernel tap's row of the implicit B matrix straight from it, without packing. Every
 * (image, channel) plane has the padded row pitch; {@code TAIL} floats after the last plane let a tile read past the
 * end of a plane into positions whose results are dropped.
 *
 * @param data   the planes, (image, channel) major
 * @param height padded rows per plane
 * @param pitch  padded columns per row
 */
record PaddedInput(float[] data, int height, int pitch) {

    /** The widest tile any micro-kernel reads past the last position it needs. */
    static final int TAIL = 64;

    int plane() {
        return height * pitch;
    }

    /**
     * Pads every plane of {@code input} [batch, channels, inHeight, inWidth] in parallel, into the calling thread's
     * scratch: the caller stays inside its call until every task that reads the copy has finished.
     */
    static PaddedInput of(
            float[] input,
            int batch,
            int channels,
            int inHeight,
            int inWidth,
            int padTop,
            int padBottom,
            int padLeft,
            int padRight,
            PaddingMode mode,
            ParallelRunner runner) {
        int[] rowSource = axis(inHeight, padTop, padBottom, mode);
        int[] columnSource = axis(inWidth, padLeft, padRight, mode);
        int plane = rowSource.length * columnSource.length;
        float[] data = Scratch.current().paddedInput(batch * channels * plane + TAIL);
        runner.forEach(
                batch * channels,
                planeIndex -> fillPlane(
                        input,
                        planeIndex * inHeight * inWidth,
                        inWidth,
                        padLeft,
                        rowSource,
                        columnSource,
                        data,
                        planeIndex * plane));
        return new PaddedInput(data, rowSource.length, columnSource.length);
    }

    /** For each padded coordinate of an axis, the input coordinate that fills it, or {@link PaddedIndex#ZERO}. */
    static int[] axis(int size, int before, int after, PaddingMode mode) {
        int[] map = new int[before + size + after];
        for (int padded = 0; padded < map.length; padded++) {
            map[padded] = PaddedIndex.source(padded - before, size, mode);
        }
        return map;
    }

    /**
     * One padded plane from the input plane at {@code planeOffset}, written at {@code destination}: the interior of
     * each row is one copy; only the border columns go through the map.
     */
    static void fillPlane(
            float[] input,
            int planeOffset,
            int inWidth,
            int padLeft,
            int[] rowSource,
            int[] columnSource,
            float[] padded,
            int destination) {
        int pitch = columnSource.length;
        for (int row = 0; row < rowSource.length; row++) {
            int rowStart = destination + row * pitch;
            if (rowSource[row] == PaddedIndex.ZERO) {
                Arrays.fill(padded, rowStart, rowStart + pitch, 0f);
                continue;
            }
            int source = planeOffset + rowSource[row] * inWidth;
            // The columns that copy the row as it is; a negative padding (reflect, replicate and circular accept
            // one) crops that side instead.
            int copyFrom = Math.max(0, padLeft);
            int copyTo = Math.min(pitch, padLeft + inWidth);
            if (copyTo > copyFrom) {
                System.arraycopy(input, source + copyFrom - padLeft, padded, rowStart + copyFrom, copyTo - copyFrom);
            }
            for (int column = 0; column < pitch; column++) {
                if (column == copyFrom && copyTo > copyFrom) {
                    column = copyTo - 1;
                    continue;
                }
                int sourceColumn = columnSource[column];
                padded[rowStart + column] = sourceColumn == PaddedIndex.ZERO ? 0f : input[source + sourceColumn];
            }
        }
    }
}
