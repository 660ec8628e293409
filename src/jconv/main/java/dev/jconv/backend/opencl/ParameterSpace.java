package dev.jconv.backend.opencl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The search space of one kernel's tuning parameters: each parameter's name (its define in the kernel source) and the
 * values the tuner draws from. A record of parameters ({@link DirectParameters}, {@link GemmParameters}) only converts
 * to and from its values in the space's order; drawing, stepping, parsing and printing are written once, here.
 *
 * @param <P> the parameter record
 */
final class ParameterSpace<P> {

    /**
     * One parameter: its name, the values the tuner tries (in increasing order), and the value a parameter string
     * without it stands for (null: it must be given). A parameter added after tuning files were written gets the
     * value that keeps those files' kernels as they were tuned.
     */
    record Axis(String name, Integer whenAbsent, int[] values) {
        Axis(String name, int... values) {
            this(name, null, values);
        }

        static Axis withDefault(String name, int whenAbsent, int... values) {
            return new Axis(name, whenAbsent, values);
        }
    }

    private final String what;
    private final Function<int[], P> fromValues;
    private final Function<P, int[]> toValues;
    private final List<Axis> axes;

    /**
     * @param what       the kernel's name in messages
     * @param fromValues the record of values in the axes' order
     * @param toValues   the inverse
     */
    ParameterSpace(String what, Function<int[], P> fromValues, Function<P, int[]> toValues, Axis... axes) {
        this.what = what;
        this.fromValues = fromValues;
        this.toValues = toValues;
        this.axes = List.of(axes);
    }

    /** A set drawn uniformly from the space (it may still be invalid for a device). */
    P random(SplittableRandom random) {
        return fromValues.apply(axes.stream()
                .mapToInt(axis -> axis.values()[random.nextInt(axis.values().length)])
                .toArray());
    }

    /**
     * {@code set} with one parameter moved one place along its values (clamped at the ends): the tuner's local
     * step around its best set.
     */
    P neighbour(P set, SplittableRandom random) {
        int[] current = toValues.apply(set);
        List<int[]> options = new ArrayList<>();
        for (int step : new int[] {-1, 1}) {
            for (int index = 0; index < axes.size(); index++) {
                int[] moved = current.clone();
                moved[index] = shift(axes.get(index).values(), current[index], step);
                options.add(moved);
            }
        }
        return fromValues.apply(options.get(random.nextInt(options.size())));
    }

    /** The value {@code step} places along {@code values} from {@code current}, clamped to the ends. */
    private static int shift(int[] values, int current, int step) {
        for (int index = 0; index < values.length; index++) {
            if (values[index] == current) {
                return values[Math.max(0, Math.min(values.length - 1, index + step))];
            }
        }
        return current;
    }

    /** {@code NAME=value,NAME=value}, the form {@link #parse} reads. */
    String format(P set) {
        int[] values = toValues.apply(set);
        return IntStream.range(0, axes.size())
                .mapToObj(index -> axes.get(index).name() + "=" + values[index])
                .collect(Collectors.joining(","));
    }

    private List<String> names() {
        return axes.stream().map(Axis::name).toList();
    }

    /**
     * Parses {@code NAME=value,NAME=value} with this space's names, each once, where only those with a value for their
     * absence may be left out (any value: {@code problemFor} judges it).
     *
     * @throws IllegalArgumentException naming the pair, the missing name or the unknown one
     */
    P parse(String text) {
        List<String> expected = names();
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
        for (Axis axis : axes) {
            if (!values.containsKey(axis.name())) {
                if (axis.whenAbsent() == null) {
                    throw new IllegalArgumentException(
                            what + " parameter " + axis.name() + " is missing in '" + text + "'");
                }
                values.put(axis.name(), axis.whenAbsent());
            }
        }
        return fromValues.apply(expected.stream().mapToInt(values::get).toArray());
    }
}
