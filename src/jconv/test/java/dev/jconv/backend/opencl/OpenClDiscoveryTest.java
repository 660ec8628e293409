package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Device;
import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import dev.jconv.Devices;
import dev.jconv.TestDevices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocl.CL;
import org.jocl.CLException;
import org.junit.jupiter.api.Test;

/** Discovery on this machine, the wording of each "why not" problem, and device selection. */
class OpenClDiscoveryTest {

    @Test
    void discoveredDevicesAreNumberedAndDescribed() {
        TestDevices.openClOrSkip();
        OpenClDevices.Discovery discovery = OpenClDevices.discover();
        assertNull(discovery.problem());
        List<DeviceInfo> devices = discovery.devices();
        for (int index = 0; index < devices.size(); index++) {
            DeviceInfo info = devices.get(index);
            assertEquals("opencl:" + index, info.id());
            assertFalse(info.name().isEmpty());
            assertFalse(info.vendor().isEmpty());
            assertFalse(info.platform().isEmpty());
            assertTrue(info.type() != DeviceType.JAVA);
            assertTrue(info.computeUnits() > 0 && info.globalMemory() > 0 && info.maxAllocation() > 0);
            assertTrue(info.version().startsWith("OpenCL "), info.version());
        }
    }

    @Test
    void selectionOpensTheSameDeviceEachTime() {
        Device device = TestDevices.openClOrSkip();
        assertEquals(device, Device.select(device.id()));
        assertTrue(Devices.list().stream().anyMatch(info -> info.id().equals(device.id())));
    }

    @Test
    void missingLibraryProblemSaysWhichPackagesToInstall() {
        String problem = OpenClDevices.explain(new UnsatisfiedLinkError("Could not initialize native OpenCL library"));
        assertTrue(
                problem.contains("ocl-icd-opencl-dev")
                        && problem.contains("libOpenCL.so")
                        && problem.contains("pocl-opencl-icd"),
                problem);
    }

    @Test
    void noPlatformProblemSaysToInstallADriver() {
        String problem = OpenClDevices.explain(new CLException("CL_PLATFORM_NOT_FOUND_KHR", -1001));
        assertTrue(problem.contains("no platform") && problem.contains("pocl-opencl-icd"), problem);
    }

    @Test
    void clErrorsAreNamed() {
        OpenClException failure =
                OpenClException.of(new CLException("x", CL.CL_OUT_OF_RESOURCES), "conv2d input [1, 3, 8, 8]");
        assertEquals("conv2d input [1, 3, 8, 8] failed: CL_OUT_OF_RESOURCES (-5)", failure.getMessage());
    }

    /**
     * A JVM whose ICD loader sees no vendor directory entries (OCL_ICD_VENDORS pointing at an empty directory) gets
     * the no-platform problem from the real discovery path, without crashing.
     */
    @Test
    void emptyVendorDirectoryGivesTheNoPlatformProblem() throws IOException, InterruptedException {
        TestDevices.openClOrSkip();
        Path emptyVendors = Files.createTempDirectory("no-opencl-vendors");
        try {
            ProcessBuilder child = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    DiscoveryProbe.class.getName());
            child.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
            child.redirectErrorStream(true);
            Process process = child.start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "discovery probe did not finish");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("devices=0") && output.contains("no platform"), output);
        } finally {
            Files.deleteIfExists(emptyVendors);
        }
    }

    /** Run in a child JVM by the test above: prints what discovery reports. */
    static final class DiscoveryProbe {
        public static void main(String[] args) {
            OpenClDevices.Discovery discovery = OpenClDevices.discover();
            System.out.println("devices=" + discovery.devices().size() + " problem=" + discovery.problem());
        }
    }
}
