package dev.jconv.io;

import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.files.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One layer of a net.json: its position in the Sequential, its PyTorch type name ({@code "Conv2d"}) and its
 * constructor arguments as JSON values. The typed accessors fill PyTorch's default for a missing key, and refuse a
 * value of the wrong JSON type with a message naming the layer and the key.
 *
 * @param index the layer's position, which is also the prefix of its weights' names ({@code "3.weight"})
 * @param type PyTorch's class name
 * @param arguments the JSON values by key, as {@link Json} parses them (Long, Double, String, Boolean, List), without
 *     {@code "type"}
 */
public record LayerSpec(int index, String type, Map<String, Object> arguments) {

    public LayerSpec {
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** Whether net.json gives {@code key}; when it does not, PyTorch's default applies. */
    public boolean has(String key) {
        return arguments.containsKey(key);
    }

    /** A required integer, such as {@code in_channels}. */
    public int integer(String key) {
        return toInteger(key, required(key));
    }

    public int integer(String key, int defaultValue) {
        return has(key) ? toInteger(key, arguments.get(key)) : defaultValue;
    }

    /** A required (height, width) pair, such as {@code kernel_size}: an integer n (meaning (n, n)) or [h, w]. */
    public IntPair intPair(String key) {
        return toIntPair(key, required(key));
    }

    /** A (height, width) pair: an integer n (meaning (n, n)) or [h, w]; (d, d) when missing. */
    public IntPair intPair(String key, int defaultValue) {
        return has(key) ? toIntPair(key, arguments.get(key)) : IntPair.of(defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        return optional(key, Boolean.class, defaultValue, "true or false");
    }

    /** A number; JSON integers count too ({@code "p": 0}). */
    public double number(String key, double defaultValue) {
        return optional(key, Number.class, defaultValue, "a number").doubleValue();
    }

    public String string(String key, String defaultValue) {
        return optional(key, String.class, defaultValue, "a string");
    }

    /**
     * Conv2d's padding: an integer, [h, w], {@code "same"} or {@code "valid"}; (d, d) when missing.
     *
     * @throws IllegalArgumentException naming the layer for any other string, with PyTorch's wording
     */
    public Padding padding(String key, int defaultValue) {
        if (!has(key)) {
            return Padding.of(defaultValue);
        }
        Object value = arguments.get(key);
        if (value instanceof String word) {
            try {
                return Padding.word(word);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where() + e.getMessage(), e);
            }
        }
        if (value instanceof Long || value instanceof List) {
            return Padding.of(toIntPair(key, value));
        }
        throw wrongType(key, "an integer, a list of two integers, \"same\" or \"valid\"");
    }

    /** "layer 3 (Conv2d): ", the start of every message about this layer. */
    String where() {
        return "layer " + index + " (" + type + "): ";
    }

    private Object required(String key) {
        if (!has(key)) {
            throw new IllegalArgumentException(where() + "missing required key '" + key + "'");
        }
        return arguments.get(key);
    }

    /**
     * An optional key whose JSON value maps to one Java type: the default when missing, refused when of another type
     * (JSON null included), so every such accessor gives the same message.
     */
    private <T> T optional(String key, Class<T> type, T defaultValue, String expected) {
        if (!has(key)) {
            return defaultValue;
        }
        Object value = arguments.get(key);
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw wrongType(key, expected);
    }

    private int toInteger(String key, Object value) {
        if (value instanceof Long number && number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) {
            return (int) (long) number;
        }
        throw wrongType(key, "an integer");
    }

    private IntPair toIntPair(String key, Object value) {
        if (value instanceof Long) {
            return IntPair.of(toInteger(key, value));
        }
        if (value instanceof List<?> items
                && items.size() == 2
                && items.get(0) instanceof Long
                && items.get(1) instanceof Long) {
            return IntPair.of(toInteger(key, items.get(0)), toInteger(key, items.get(1)));
        }
        throw wrongType(key, "an integer or a list of two integers [height, width]");
    }

    private IllegalArgumentException wrongType(String key, String expected) {
        return new IllegalArgumentException(
                where() + "'" + key + "' must be " + expected + ", but got " + jsonText(arguments.get(key)));
    }

    /** The value as it looked in the JSON, so the message shows what the file said. */
    static String jsonText(Object value) {
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        if (value instanceof List<?> items) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                out.append(i > 0 ? ", " : "").append(jsonText(items.get(i)));
            }
            return out.append(']').toString();
        }
        if (value instanceof Map) {
            return "an object";
        }
        return String.valueOf(value);
    }
}
