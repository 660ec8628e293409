package dev.jconv.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * Opens the files the readers parse, refusing a missing path and a directory up front in the same words for every
 * format: on Linux FileChannel opens a directory without complaint and fails only at the first read, in the operating
 * system's words.
 */
final class InputFiles {

    private InputFiles() {}

    /**
     * {@code file} open for reading.
     *
     * @param format what the file should be, for the message: {@code "a .npy file"}
     * @param formatError the reader's format exception, given the message
     * @throws NoSuchFileException when it does not exist
     */
    static FileChannel open(Path file, String format, Function<String, ? extends IOException> formatError)
            throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw formatError.apply(file + ": is a directory, not " + format);
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }
}
