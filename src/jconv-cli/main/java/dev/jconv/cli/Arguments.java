package dev.jconv.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed command line: {@code --name value} or {@code --name=value} options, plus positional arguments. Every
 * option must be one the command declares, so a typo is an error (with the nearest option as a suggestion), never
 * silently ignored. {@code --help} is answered by {@link Main} before a command parses its arguments.
 */
final class Arguments {

    private final Map<String, String> options = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Arguments() {}

    /**
     * As {@link #parse}, for a command that takes options only.
     *
     * @throws UsageException naming the first argument that is not an option
     */
    static Arguments parseOptions(String command, List<String> args, Set<String> valueOptions, Set<String> flags) {
        Arguments parsed = parse(command, args, valueOptions, flags);
        if (!parsed.positionals.isEmpty()) {
            throw new UsageException(command + ": unexpected argument '" + parsed.positionals.get(0) + "'");
        }
        return parsed;
    }

    /**
     * @param valueOptions options that take a value
     * @param flags        options that take none
     */
    static Arguments parse(String command, List<String> args, Set<String> valueOptions, Set<String> flags) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                parsed.positionals.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException(command + ": " + name + " takes no value");
                }
                parsed.options.put(name, "true");
                continue;
            }
            if (!valueOptions.contains(name)) {
                Set<String> known = new TreeSet<>(valueOptions);
                known.addAll(flags);
                known.add("--help");
                String suggestion = Suggestions.didYouMean(name, known);
                throw new UsageException(command + ": unknown option " + name
                        + (suggestion.isEmpty() ? " (see jconv " + command + " --help)" : suggestion));
            }
            if (value == null) {
                // The next word is another option, not this one's value: "--bias --output y.npy" lacks the bias.
                // (A value that starts with "--" can still be given as --name=value.)
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(command + ": " + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (parsed.options.put(name, value) != null) {
                throw new UsageException(command + ": " + name + " given twice");
            }
        }
        return parsed;
    }

    String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    String require(String command, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException(command + ": " + name + " is required");
        }
        return value;
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    List<String> positionals() {
        return positionals;
    }

    /** A number option, with a message that names the option and the text when it is not one. */
    double number(String command, String name, double fallback) {
        String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text);
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " must be a non-negative number, but got '" + text + "'");
        }
    }

    int integer(String command, String name, int fallback) {
        String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " must be an integer, but got '" + text + "'");
        }
    }
}
