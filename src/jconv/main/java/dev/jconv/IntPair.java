package dev.jconv;

/**
 * A (height, width) pair of ints: PyTorch lets every spatial hyper-parameter be an int or a pair.
 */
public record IntPair(int height, int width) {

    /** The square pair (v, v), like PyTorch's {@code _pair(v)}. */
    public static IntPair of(int value) {
        return new IntPair(value, value);
    }

    public static IntPair of(int height, int width) {
        return new IntPair(height, width);
    }

    /**
     * Parses {@code "3"} or {@code "3,5"} (as the CLI takes them).
     *
     * @throws IllegalArgumentException naming the text when it is not one or two integers
     */
    public static IntPair parse(String name, String text) {
        String[] parts = text.trim().split("\\s*,\\s*", -1);
        if (parts.length < 1 || parts.length > 2) {
            throw new IllegalArgumentException(
                    name + " must be an integer or a pair of integers H,W, but got '" + text + "'");
        }
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        name + " must be an integer or a pair of integers H,W, but got '" + text + "'");
            }
        }
        return values.length == 1 ? of(values[0]) : of(values[0], values[1]);
    }

    /** PyTorch's tuple spelling, {@code (3, 5)}, used in messages. */
    @Override
    public String toString() {
        return "(" + height + ", " + width + ")";
    }
}
