package dev.jconv.io;

import java.io.IOException;

/** A file that is not a well-formed safetensors file; the message names the file and what is wrong with it. */
public final class SafetensorsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
