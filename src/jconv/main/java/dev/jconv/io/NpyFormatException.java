package dev.jconv.io;

import java.io.IOException;

/** A file that is not a float32, little-endian, C-order .npy array jconv can read; the message says what is wrong. */
public final class NpyFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }
}
