package dev.jconv.backend.opencl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** The pieces every kernel parameter record shares: drawing and stepping values, and the NAME=value text form. */
final class ParameterSpace {

    private ParameterSpace() {}

    static int pick(int[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    /** The value {@code step} places along {@code values} from {@code current}, clamped to the ends. */
    static int shift(int[] values, int current, int step) {
        for (int index = 0; index < values.length; index++) {
            if (values[index] == current) {
                return values[Math.max(0, Math.min(values.length - 1, index + step))];
            }
        }
        return current;
    }

    /**
     * Parses {@code NAME=value,NAME=value} with exactly the names {@code expected}.
     *
     * @throws IllegalArgumentException naming the pair, the missing name or the unknown one
     */
    static Map<String, Integer> parse(String text, List<String> expected, String what) {
        Map<String, Integer> values = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split("=");
            if (parts.length != 2) {
                throw new IllegalArgumentException(what + " parameters must be NAME=VALUE pairs separated by commas, "
                        + "but got '" + pair + "' in '" + text + "'");
            }
            String name = parts[0].trim().toUpperCase(Locale.ROOT);
            if (!expected.contains(name)) {
                throw new IllegalArgumentException("unknown " + what + " parameter '" + parts[0].trim() + "' (expected "
                        + String.join(", ", expected) + ")");
            }
            try {
                values.put(name, Integer.parseInt(parts[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        what + " parameter " + name + " must be an integer, but got '" + parts[1].trim() + "'");
            }
        }
        for (String name : expected) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException(what + " parameter " + name + " is missing in '" + text + "'");
            }
        }
        return values;
    }
}
