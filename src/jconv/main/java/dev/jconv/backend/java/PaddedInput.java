package dev.jconv.backend.java;

import dev.jconv.IntPair;
import dev.jconv.PaddingMode;
import dev.jconv.geometry.Conv2dGeometry;
import java.util.Arrays;

/**
 * A copy of the input with its padding resolved (zeros, reflect, replicate or circular, as F.pad fills it), so a
 * convolution can read each kernel tap's row of the implicit B matrix straight from it, without packing. At stride 1
 * (and in every phase of a transposed convolution) the grid advances one padded pixel per output pixel. At a larger
 * stride each (image, channel) is stored as {@code rowStride x columnStride} phase planes, padded row r and column c
 * in phase {@code (r % rowStride, c % columnStride)} at {@code (r / rowStride, c / columnStride)}, so that there too a
 * kernel tap reads one phase plane one position per output pixel. Every phase plane has {@code pitch} columns;
 * {@code TAIL} floats after the last plane let a tile read past the end of a plane into positions whose results are
 * dropped.
 *
 * @param data   the planes, (image, channel, row phase, column phase) major
 * @param height rows per phase plane
 * @param pitch  columns per phase plane row
 */
record PaddedInput(float[] data, int height, int pitch, int rowStride, int columnStride) {

    /** The widest tile any micro-kernel reads past the last position it needs. */
    static final int TAIL = 64;

    /** Floats from one (image, channel) to the next: all its phase planes. */
    int plane() {
        return rowStride * columnStride * height * pitch;
    }

    /**
     * Where output position (0, 0) reads through a tap at padded offset ({@code row}, {@code column}) from the output
     * position's own corner, relative to its channel's start; output (y, x) reads {@code y * pitch + x} further on.
     */
    int tapOffset(int row, int column) {
        int phase = row % rowStride * columnStride + column % columnStride;
        return phase * height * pitch + row / rowStride * pitch + column / columnStride;
    }

    /** The padded copy of a Conv2d call's input, with its padding and mode, split into {@code stride}'s phases. */
    static PaddedInput forConvolution(Conv2dGeometry g, float[] input, IntPair stride, ParallelRunner runner) {
        return of(
                input,
                g.batch(),
                g.inChannels(),
                g.inHeight(),
                g.inWidth(),
                g.padding().top(),
                g.padding().bottom(),
                g.padding().left(),
                g.padding().right(),
                g.paddingMode(),
                stride,
                runner);
    }

    /**
     * Pads every plane of {@code input} [batch, channels, inHeight, inWidth] in parallel, split into the phases of
     * {@code stride}, into the calling thread's scratch: the caller stays inside its call until every task that reads
     * the copy has finished.
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
            IntPair stride,
            ParallelRunner runner) {
        int[] rowSource = axis(inHeight, padTop, padBottom, mode);
        int[] columnSource = axis(inWidth, padLeft, padRight, mode);
        int rowStride = stride.height();
        int columnStride = stride.width();
        PaddedInput shape = new PaddedInput(
                null,
                ImplicitGemm.ceilDiv(rowSource.length, rowStride),
                ImplicitGemm.ceilDiv(columnSource.length, columnStride),
                rowStride,
                columnStride);
        int plane = shape.plane();
        float[] data = Scratch.current().floats(Scratch.Floats.PADDED_INPUT, batch * channels * plane + TAIL);
        runner.forEach(batch * channels, planeIndex -> {
            int source = planeIndex * inHeight * inWidth;
            int destination = planeIndex * plane;
            if (rowStride == 1 && columnStride == 1) {
                fillPlane(input, source, inWidth, padLeft, rowSource, columnSource, data, destination);
            } else {
                shape.fillPhases(input, source, inWidth, rowSource, columnSource, data, destination);
            }
        });
        return new PaddedInput(data, shape.height(), shape.pitch(), rowStride, columnStride);
    }

    /**
     * One (image, channel)'s phase planes from the input plane at {@code planeOffset}, written at
     * {@code destination}; the positions no padded pixel maps to (when a padded side is not a multiple of the stride)
     * are zero.
     */
    private void fillPhases(
            float[] input,
            int planeOffset,
            int inWidth,
            int[] rowSource,
            int[] columnSource,
            float[] phases,
            int destination) {
        Arrays.fill(phases, destination, destination + plane(), 0f);
        int phasePlane = height * pitch;
        for (int row = 0; row < rowSource.length; row++) {
            if (rowSource[row] == PaddedIndex.ZERO) {
                continue;
            }
            int source = planeOffset + rowSource[row] * inWidth;
            // Phase by phase, so each phase row is written in order, with no division per pixel.
            int rowStart = destination + row % rowStride * columnStride * phasePlane + row / rowStride * pitch;
            for (int phase = 0; phase < columnStride; phase++) {
                int to = rowStart + phase * phasePlane;
                for (int column = phase; column < columnSource.length; column += columnStride, to++) {
                    int sourceColumn = columnSource[column];
                    phases[to] = sourceColumn == PaddedIndex.ZERO ? 0f : input[source + sourceColumn];
                }
            }
        }
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
