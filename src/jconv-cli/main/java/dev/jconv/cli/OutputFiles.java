package dev.jconv.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checks a command that writes a file makes before doing any work, so a bad path costs nothing. */
final class OutputFiles {

    private OutputFiles() {}

    /**
     * @param option the option that named the file, for the message
     * @throws UsageException when {@code output} is a directory or its directory does not exist
     */
    static void checkWritable(String command, String option, Path output) {
        if (Files.isDirectory(output)) {
            throw new UsageException(command + ": " + option + " " + output + " is a directory");
        }
        Path directory = output.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new UsageException(command + ": the directory of " + option + " " + output + " does not exist");
        }
    }
}
