package dev.jconv;

import java.util.Objects;

/**
 * Conv2d's {@code padding} argument: explicit (h, w) amounts, or PyTorch's {@code "same"} / {@code "valid"}.
 */
public final class Padding {

    /** Pads so the output has the input's size (stride 1 only); PyTorch puts the odd pixel at the end. */
    public static final Padding SAME = new Padding("same", null);
    /** No padding. */
    public static final Padding VALID = new Padding("valid", null);

    private final String word;
    private final IntPair amounts;

    private Padding(String word, IntPair amounts) {
        this.word = word;
        this.amounts = amounts;
    }

    public static Padding of(int value) {
        return new Padding(null, IntPair.of(value));
    }

    public static Padding of(int height, int width) {
        return new Padding(null, IntPair.of(height, width));
    }

    public static Padding of(IntPair amounts) {
        return new Padding(null, Objects.requireNonNull(amounts, "padding"));
    }

    /**
     * Parses {@code same}, {@code valid}, {@code P} or {@code P,P}.
     *
     * @throws IllegalArgumentException with PyTorch's message for an unknown word
     */
    public static Padding parse(String text) {
        String trimmed = text.trim();
        if (!trimmed.isEmpty() && (Character.isDigit(trimmed.charAt(0)) || trimmed.charAt(0) == '-')) {
            return of(IntPair.parse("padding", trimmed));
        }
        return word(trimmed);
    }

    /** {@code "same"} or {@code "valid"}; anything else is PyTorch's "Invalid padding string" error. */
    public static Padding word(String text) {
        switch (text) {
            case "same":
                return SAME;
            case "valid":
                return VALID;
            default:
                throw new IllegalArgumentException(
                        "Invalid padding string '" + text + "', should be one of {'valid', 'same'}");
        }
    }

    public boolean isSame() {
        return this == SAME;
    }

    public boolean isValid() {
        return this == VALID;
    }

    /** The explicit amounts; {@code (0, 0)} for valid. Not defined for same, whose amounts depend on the kernel. */
    public IntPair amounts() {
        if (isSame()) {
            throw new IllegalStateException("padding='same' has no fixed amounts");
        }
        return isValid() ? IntPair.of(0) : amounts;
    }

    @Override
    public String toString() {
        return word != null ? "'" + word + "'" : amounts.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Padding p && Objects.equals(word, p.word) && Objects.equals(amounts, p.amounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(word, amounts);
    }
}
