package dev.jconv.backend.opencl;

import dev.jconv.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where jconv keeps files between runs (tuning results): {@code JCONV_CACHE_DIR}, else the system property
 * {@code jconv.cacheDir}, else {@code ~/.cache/jconv}. Files are written atomically, so a reader in another JVM
 * sees the old file or the new one, never half of one.
 */
public final class CacheDirectory {

    public static final String ENVIRONMENT = "JCONV_CACHE_DIR";
    public static final String PROPERTY = "jconv.cacheDir";

    private CacheDirectory() {}

    /** The directory as configured now (it may not exist yet). */
    public static Path path() {
        String environment = System.getenv(ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment.trim());
        }
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property.trim());
        }
        return Path.of(System.getProperty("user.home"), ".cache", "jconv");
    }

    /** Writes {@code text} to {@code file} through a temporary file in the same directory and an atomic rename. */
    static void writeAtomically(Path file, String text) throws IOException {
        AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
