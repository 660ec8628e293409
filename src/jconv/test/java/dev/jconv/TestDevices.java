package dev.jconv;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * The devices tests run on. With {@code JCONV_REQUIRE_OPENCL=1} (as CI sets it) a missing OpenCL device fails the
 * test instead of skipping it, so a CI machine without OpenCL can never pass by skipping.
 */
public final class TestDevices {

    private TestDevices() {}

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
        Device device = Device.select("opencl");
        announce(device);
        return device;
    }

    private static boolean announced;

    /** Says once in the test output which OpenCL device the suites run on, so a CI log shows it. */
    private static synchronized void announce(Device device) {
        if (!announced) {
            announced = true;
            System.out.println("jconv tests: OpenCL device " + device);
        }
    }

    /** A device around a backend a test opened itself (with its own cache directory or settings). */
    public static Device wrapping(dev.jconv.backend.Backend backend) {
        return new Device(backend);
    }

    /** The devices the cross-backend suites run on, by name: "java", plus "opencl" when present or required. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add("java");
        boolean present = Devices.list().stream().anyMatch(info -> info.type() != DeviceType.JAVA);
        if (present || openClRequired()) {
            names.add("opencl");
        }
        return names;
    }

    /**
     * The device for a name from {@link #names()}. OpenCL is resolved inside the running test, so its absence skips
     * or (when required) fails that test loudly.
     */
    public static Device resolve(String name) {
        return name.equals("java") ? Device.java() : openClOrSkip();
    }

    /**
     * The device's live buffer count once earlier tests' dropped device tensors are freed. Tests share one OpenCL
     * device, and a tensor another test dropped without closing is freed by the garbage collector's cleaner thread
     * whenever a collection finds it; read raw, a baseline could shrink in the middle of the test that took it.
     * Collects until the count holds still over three collections in a row.
     */
    public static long settledLiveBuffers(Device device) throws InterruptedException {
        long count = device.backend().liveBuffers();
        int unchanged = 0;
        for (int attempt = 0; attempt < 200 && unchanged < 3; attempt++) {
            System.gc();
            Thread.sleep(10); // the cleaner thread frees what the collection found
            long now = device.backend().liveBuffers();
            unchanged = now == count ? unchanged + 1 : 0;
            count = now;
        }
        return count;
    }

    /** One dynamic test per device from {@link #names()}, named after it. */
    public static Stream<DynamicTest> onEachDevice(ThrowingConsumer<Device> body) {
        return names().stream().map(name -> DynamicTest.dynamicTest(name, () -> body.accept(resolve(name))));
    }
}
