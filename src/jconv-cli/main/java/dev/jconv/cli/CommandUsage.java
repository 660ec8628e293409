package dev.jconv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One command's part of {@code jconv --help}, read from the overall usage text, so each command's usage is written
 * once. The text's shape: a command's first line is two spaces, the command's name and its options; continuation
 * lines start with more spaces.
 */
final class CommandUsage {

    private static final String COMMAND_INDENT = "  ";
    private static final String CONTINUATION_INDENT = " ".repeat(11);

    private CommandUsage() {}

    /** The command names the usage text describes, in its order. */
    static List<String> commands(String usage) {
        List<String> names = new ArrayList<>();
        for (String line : usage.lines().toList()) {
            commandOf(line).ifPresent(names::add);
        }
        return names;
    }

    /** {@code usage: jconv <command> ...} and its continuation lines, or empty for a command the text lacks. */
    static Optional<String> of(String usage, String command) {
        List<String> lines = usage.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (commandOf(lines.get(i)).filter(command::equals).isEmpty()) {
                continue;
            }
            String rest = lines.get(i).strip().substring(command.length()).strip();
            // A command without options has its description there ("devices  list the devices ..."): own line.
            boolean description = !rest.isEmpty() && Character.isLowerCase(rest.charAt(0));
            StringBuilder text = new StringBuilder("usage: jconv " + command
                    + (description ? "\n" + CONTINUATION_INDENT : rest.isEmpty() ? "" : " ") + rest);
            for (int next = i + 1;
                    next < lines.size()
                            && commandOf(lines.get(next)).isEmpty()
                            && lines.get(next).startsWith(COMMAND_INDENT + " ");
                    next++) {
                text.append('\n').append(lines.get(next));
            }
            return Optional.of(text.toString());
        }
        return Optional.empty();
    }

    private static Optional<String> commandOf(String line) {
        if (!line.startsWith(COMMAND_INDENT) || line.startsWith(COMMAND_INDENT + " ")) {
            return Optional.empty();
        }
        String word = line.strip().split("\\s+", 2)[0];
        return word.matches("[a-z][a-z-]*") ? Optional.of(word) : Optional.empty();
    }
}
