package dev.jconv.backend.opencl;

/**
 * The fault-injection switches for tests outside this package (the CLI's); test sources only, so the library itself
 * offers no public way to break a device.
 */
public final class FaultsForTests {

    private FaultsForTests() {}

    /** See {@link Faults#install}. */
    public static void install(String spec) {
        Faults.install(spec);
    }

    /** See {@link Faults#clear}. */
    public static void clear() {
        Faults.clear();
    }
}
