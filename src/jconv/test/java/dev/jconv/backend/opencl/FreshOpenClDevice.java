package dev.jconv.backend.opencl;

import dev.jconv.Device;
import dev.jconv.TestDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The OpenCL device opened afresh for each test, with its own empty cache directory, so its program cache starts
 * empty and counts only that test's builds (register with {@code @RegisterExtension}). Skips the test where there is
 * no OpenCL device, or fails it where one is required, as {@link TestDevices#openClOrSkip} does.
 */
final class FreshOpenClDevice implements BeforeEachCallback, AfterEachCallback {

    private Path cache;
    private Device device;

    Device device() {
        return device;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        var info = TestDevices.openClOrSkip().info();
        cache = Files.createTempDirectory("jconv-fresh-device-");
        device = TestDevices.wrapping(OpenClDevices.open(info, false, cache));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (device != null) {
            device.close(); // waits for queued binary stores, so nothing writes to the directory below any more
            device = null;
        }
        if (cache != null) {
            try (Stream<Path> paths = Files.walk(cache)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
            cache = null;
        }
    }
}
