package dev.jconv.backend.java;

import dev.jconv.PaddingMode;

/**
 * Maps a coordinate of the padded input back to the input, the way F.pad fills the border. Both ways of reading B use
 * it: {@link Axis} gathers through it, and {@link PaddedInput} fills its padded copy with it. Valid geometry
 * guarantees reflect never needs more than one bounce and circular never wraps more than once.
 */
final class PaddedIndex {

    /** Returned for a coordinate that lands in zero padding. */
    static final int ZERO = -1;

    private PaddedIndex() {}

    static int source(int index, int size, PaddingMode mode) {
        if (index >= 0 && index < size) {
            return index;
        }
        switch (mode) {
            case REFLECT:
                return index < 0 ? -index : 2 * (size - 1) - index;
            case REPLICATE:
                return index < 0 ? 0 : size - 1;
            case CIRCULAR:
                return ((index % size) + size) % size;
            default:
                return ZERO;
        }
    }
}
