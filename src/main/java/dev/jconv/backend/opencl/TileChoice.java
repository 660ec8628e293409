package dev.jconv.backend.opencl;

/** How a row of outputs and a group's output channels are cut into per-work-item tiles; shared by both ops. */
final class TileChoice {

    private static final int[] VECTOR_WIDTHS = {16, 8, 4};

    private TileChoice() {
    }

    /**
     * The vector width (16, 8 or 4, at most {@code maxWidth}) that covers {@code extent} outputs with the fewest
     * wasted lanes, preferring the wider on a tie.
     */
    static int vectorWidth(int extent, int maxWidth) {
        int best = 0;
        long bestCovered = Long.MAX_VALUE;
        for (int width : VECTOR_WIDTHS) {
            if (width > maxWidth) {
                continue;
            }
            long covered = (long) ceilDiv(extent, width) * width;
            if (covered < bestCovered) {
                best = width;
                bestCovered = covered;
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

    static int ceilDiv(int value, int divisor) {
        return (value + divisor - 1) / divisor;
    }
}
