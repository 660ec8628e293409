package dev.jconv;

import java.util.Locale;

/** How Conv2d fills the border it pads: PyTorch's {@code padding_mode} values. */
public enum PaddingMode {
    ZEROS,
    REFLECT,
    REPLICATE,
    CIRCULAR;

    /** PyTorch's spelling of the mode ({@code "zeros"}). */
    public String torchName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses PyTorch's spelling.
     *
     * @throws IllegalArgumentException with PyTorch's message for an unknown mode
     */
    public static PaddingMode parse(String text) {
        for (PaddingMode mode : values()) {
            if (mode.torchName().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'],"
                + " but got padding_mode='" + text + "'");
    }
}
