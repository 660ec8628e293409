package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Guards the JVM against OpenCL drivers that compile kernels with an in-process LLVM (PoCL, Mesa's Clover and
 * rusticl). LLVM installs its own SIGSEGV and SIGBUS handlers over the JVM's, and the JVM raises SIGSEGV on purpose
 * (implicit null checks, safepoint polls), so after the first kernel build the JVM can die at any moment. The JVM's
 * cure is signal chaining: {@code libjsig.so} preloaded keeps the JVM's handlers in place and chains the driver's
 * behind them. This class tells whether that cure is in place.
 */
public final class SignalChaining {

    /** Platform names of drivers known to install LLVM's signal handlers in the host process. */
    private static final List<String> LLVM_IN_PROCESS_PLATFORMS =
            List.of("Portable Computing Language", "Clover", "rusticl");

    private static final boolean ACTIVE = detect();

    private SignalChaining() {}

    /** True when libjsig is loaded into this process (Linux: listed in /proc/self/maps). */
    public static boolean active() {
        return ACTIVE;
    }

    /** The command-line fix: the preload for the JVM that is running now. */
    public static String fix() {
        return "LD_PRELOAD=" + Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    }

    /**
     * Why running kernels on {@code device} could crash this JVM, if it could: its driver replaces the JVM's signal
     * handlers and libjsig is not preloaded.
     */
    public static Optional<String> risk(DeviceInfo device) {
        return risk(device, active());
    }

    static Optional<String> risk(DeviceInfo device, boolean chainingActive) {
        if (chainingActive || !LLVM_IN_PROCESS_PLATFORMS.contains(device.platform())) {
            return Optional.empty();
        }
        return Optional.of("the " + device.platform() + " driver of " + device.id() + " replaces the JVM's SIGSEGV"
                + " handler when it compiles a kernel, which can crash the JVM; start the JVM with " + fix()
                + " (signal chaining; scripts/jconv and the tests do this)");
    }

    private static boolean detect() {
        String preload = System.getenv("LD_PRELOAD");
        if (preload != null && preload.contains("libjsig")) {
            return true;
        }
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libjsig");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
