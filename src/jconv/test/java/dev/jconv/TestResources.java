package dev.jconv;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Test data by class-path name (for example {@code /golden-nets}), so a test finds it in either module's build: the
 * golden files live in the library's test resources, and jconv-cli's tests see them through its class path.
 */
public final class TestResources {

    private TestResources() {}

    /**
     * The folder or file {@code name} (starting with '/'), as a path; fails the test when it is not on the class path.
     */
    public static Path path(String name) {
        URL url = TestResources.class.getResource(name);
        if (url == null) {
            throw new AssertionError("test resource " + name + " is not on the class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError("test resource " + name + " has no file path: " + url, e);
        }
    }
}
