package dev.jconv.geometry;

import dev.jconv.Padding;

/**
 * Conv2d's padding per side. Kept per side because {@code padding='same'} with an even dilated kernel pads one more
 * pixel at the bottom and right than at the top and left, as PyTorch does.
 */
public record SidePadding(int top, int bottom, int left, int right) {

    /** The amounts {@code padding} means for {@code window}: PyTorch's _conv_forward rule for 'same'. */
    static SidePadding of(Padding padding, KernelWindow window) {
        if (!padding.isSame()) {
            int height = padding.amounts().height();
            int width = padding.amounts().width();
            return new SidePadding(height, height, width, width);
        }
        // The total is d*(k-1) per axis; the smaller half goes first.
        int totalHeight = (int) window.dilatedHeight() - 1;
        int totalWidth = (int) window.dilatedWidth() - 1;
        return new SidePadding(
                totalHeight / 2, totalHeight - totalHeight / 2, totalWidth / 2, totalWidth - totalWidth / 2);
    }

    @Override
    public String toString() {
        return top + "/" + bottom + "/" + left + "/" + right;
    }
}
