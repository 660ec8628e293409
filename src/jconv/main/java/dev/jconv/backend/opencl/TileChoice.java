package dev.jconv.backend.opencl;

import dev.jconv.geometry.ConvGeometry;
import java.util.Arrays;

/** How a row of outputs and a group's output channels are cut into per-work-item tiles; shared by both ops. */
final class TileChoice {

    private static final int[] VECTOR_WIDTHS = {16, 8, 4};

    private TileChoice() {}

    /**
     * The vector width (16, 8 or 4, at most {@code maxWidth}) that covers {@code extent} outputs in the fewest vectors
     * (a vector instruction costs the same at any of these widths), the narrower on a tie to waste fewer lanes.
     */
    static int vectorWidth(int extent, int maxWidth) {
        int best = 0;
        int fewestVectors = Integer.MAX_VALUE;
        for (int width : VECTOR_WIDTHS) {
            int vectors = ceilDiv(extent, width);
            if (width <= maxWidth && vectors <= fewestVectors) {
                best = width;
                fewestVectors = vectors;
            }
        }
        return best == 0 ? VECTOR_WIDTHS[VECTOR_WIDTHS.length - 1] : best;
    }

    /** The largest tile of at most {@code maxTile} output channels that divides a group, so no tile spans groups. */
    static int outChannelTile(int channelsPerGroup, int maxTile) {
        for (int tile = Math.min(maxTile, channelsPerGroup); tile > 1; tile--) {
            if (channelsPerGroup % tile == 0) {
                return tile;
            }
        }
        return 1;
    }

    /**
     * An explicit work-group for an NDRange made by {@link #ndRange}: the driver's own choice can be one group spanning
     * the whole NDRange, which a CPU driver runs on a single thread. Only the channel-tile dimension is grouped, by the
     * largest divisor of the tile count within the tuning's limit for it; the others, whose extents follow the input
     * size, get 1. PoCL compiles a kernel again for every new work-group size (0.2-1.5 s here), so a work-group that
     * followed the input size would make a new input size pay that compile although its program is built; this way a
     * layer's work-group is the same at every input size. (Two queues running one such kernel at different sizes at
     * once could trip a PoCL abort; {@link KernelTurns} keeps them apart.)
     */
    static long[] workGroup(long[] global, boolean tilesOuter, Tuning tuning) {
        int tileDimension = tilesOuter ? 2 : 0;
        long[] local = new long[global.length];
        Arrays.fill(local, 1);
        long limit = Math.min(tuning.maxWorkGroupSize(), tuning.workGroupLimits()[tileDimension]);
        local[tileDimension] = largestDivisorAtMost(global[tileDimension], limit);
        return local;
    }

    static long largestDivisorAtMost(long value, long limit) {
        for (long divisor = Math.min(value, limit); divisor > 1; divisor--) {
            if (value % divisor == 0) {
                return divisor;
            }
        }
        return 1;
    }

    /**
     * True when the weights outweigh one image's input: channel tiles then go in the slowest NDRange dimension so each
     * tile's weights stay in cache while the pixels stream past (see common.cl), else the input stays and weights
     * stream.
     */
    static boolean tilesOuter(ConvGeometry g) {
        return g.weightElements() > (long) g.inChannels() * g.inHeight() * g.inWidth();
    }

    /** The NDRange (channel tiles, row vectors, rows), with dimensions 0 and 2 swapped when tiles go outer. */
    static long[] ndRange(long tiles, long rowVectors, long rows, boolean tilesOuter) {
        return tilesOuter ? new long[] {rows, rowVectors, tiles} : new long[] {tiles, rowVectors, rows};
    }

    static int ceilDiv(int value, int divisor) {
        return (value + divisor - 1) / divisor;
    }
}
