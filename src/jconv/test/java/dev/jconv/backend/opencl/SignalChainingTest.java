package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import org.junit.jupiter.api.Test;

/** The JVM-crash guard for LLVM-based OpenCL drivers. */
class SignalChainingTest {

    private static DeviceInfo device(String platform) {
        return new DeviceInfo("opencl:0", "test", "vendor", platform, DeviceType.CPU, 1, 1L << 30, 1L << 28, "3.0");
    }

    @Test
    void theTestJvmRunsWithSignalChaining() {
        // The pom preloads libjsig for the test JVM, as scripts/jconv does for the CLI.
        assertTrue(SignalChaining.active(), "libjsig is not preloaded; LD_PRELOAD=" + System.getenv("LD_PRELOAD"));
    }

    @Test
    void llvmBasedDriversAreARiskOnlyWithoutChaining() {
        String risk = SignalChaining.risk(device("Portable Computing Language"), false)
                .orElseThrow();
        assertTrue(risk.contains("LD_PRELOAD=") && risk.contains("libjsig.so"), risk);
        assertTrue(
                SignalChaining.risk(device("Portable Computing Language"), true).isEmpty());
        assertTrue(SignalChaining.risk(device("NVIDIA CUDA"), false).isEmpty());
    }
}
