package dev.jconv;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * The devices tests run on. With {@code JCONV_REQUIRE_OPENCL=1} (as CI sets it) a missing OpenCL device fails the
 * test instead of skipping it, so a CI machine without OpenCL can never pass by skipping.
 */
public final class TestDevices {

    private TestDevices() {
    }

    public static boolean openClRequired() {
        return "1".equals(System.getenv("JCONV_REQUIRE_OPENCL"));
    }

    /** The first OpenCL device; skips the test when there is none, or fails it when OpenCL is required. */
    public static Device openClOrSkip() {
        boolean present = Devices.list().stream().anyMatch(info -> info.type() != DeviceType.JAVA);
        if (!present) {
            String why = "no OpenCL device: " + Devices.openClProblem().orElse("unknown reason");
            if (openClRequired()) {
                fail(why + " (JCONV_REQUIRE_OPENCL=1)");
            }
            assumeTrue(false, why);
        }
        return Device.select("opencl");
    }

    /** Every device to run the cross-backend suites on: java, plus OpenCL when present (or required). */
    public static List<Device> all() {
        List<Device> devices = new ArrayList<>();
        devices.add(Device.java());
        boolean present = Devices.list().stream().anyMatch(info -> info.type() != DeviceType.JAVA);
        if (present || openClRequired()) {
            devices.add(null); // resolved lazily by openClOrSkip() inside the test, so absence fails loudly there
        }
        return devices;
    }
}
