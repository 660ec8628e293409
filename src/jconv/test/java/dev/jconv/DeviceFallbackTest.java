package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Device choice when OpenCL cannot be used. CI's second pass hides every OpenCL driver and sets
 * {@code JCONV_EXPECT_NO_OPENCL=1}; then auto must fall back to Java with a reason, and an explicit request must fail.
 */
class DeviceFallbackTest {

    @Test
    void autoFallsBackToJavaWithAReasonWhenOpenClIsGone() {
        assumeTrue("1".equals(System.getenv("JCONV_EXPECT_NO_OPENCL")), "OpenCL is expected to be present");
        assertEquals("java", Devices.autoChoice());
        assertTrue(Device.select("auto").isJava());
        assertTrue(Devices.openClProblem().isPresent(), "a reason for the fallback must be reported");
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Device.select("opencl"));
        assertTrue(error.getMessage().contains("OpenCL cannot be used"), error.getMessage());
        assertThrows(IllegalStateException.class, () -> Device.select("opencl:0"));
    }

    @Test
    void autoPrefersOpenClWhenPresent() {
        assumeTrue(!"1".equals(System.getenv("JCONV_EXPECT_NO_OPENCL")));
        if (Devices.list().size() > 1 || TestDevices.openClRequired()) {
            assertTrue(Devices.autoChoice().startsWith("opencl:"), Devices.autoChoice());
        } else {
            assertEquals("java", Devices.autoChoice());
        }
    }

    @Test
    void badSelectionsAreClearErrors() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Device.select("cuda"));
        assertTrue(error.getMessage().contains("'cuda'"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Device.select("opencl:x"));
        assertThrows(RuntimeException.class, () -> Device.select("opencl:99"));
        assertTrue(Device.select("java").isJava());
        assertTrue(Device.select(" JAVA ").isJava());
    }
}
