package dev.jconv.backend.java;

/**
 * How a convolution's implicit GEMM gets its B matrix (see {@link ImplicitGemm}): both ways give the same bits, so
 * tests run a call each way and compare.
 */
enum BMatrixSource {
    /** Read in place from a padded copy of the input (split into stride phases) where that pays, else packed. */
    AUTO,
    /** Always packed through the source maps. */
    PACKED;

    /**
     * True when B should be read in place for a grid with {@code gridWidth} columns, through {@code taps} kernel taps
     * (a strided grid reads its padded copy's phase planes, where it too advances one position per output). Narrower
     * grids waste too much of each tile on the padded pitch's
     * extra columns, and pack well; with one tap, packing is a plain copy of the input, no dearer than the padded copy
     * (pointwise1x1 and unet_up2x2 measured no faster in place).
     */
    boolean readsInPlace(int gridWidth, int taps) {
        return this == AUTO && gridWidth >= PanelPacker.SHORT_ROW && taps > 1;
    }
}
