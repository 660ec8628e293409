package dev.jconv;

import dev.jconv.backend.java.JavaBackend;
import dev.jconv.backend.opencl.SignalChaining;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The library's one line at first use: the device chosen and why, the Java kernel in use, and, for each faster path
 * that is off, exactly what turns it on. A user who runs {@code java -cp app.jar:jconv.jar App} with no flags thus
 * learns why jconv runs slower than it could. The line goes through SLF4J (INFO, or WARN when the chosen device runs
 * slower than the machine allows or could crash the JVM); with no SLF4J provider on the class path, where slf4j-api
 * falls back to discarding everything, it goes to stderr instead, since it is the one line a user must not miss.
 */
final class StartupLine {

    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
    private static boolean announced;

    private StartupLine() {}

    /**
     * Announces the first choice of a device in this JVM; later calls do nothing.
     *
     * @param how                      how it was chosen and why ({@code chosen by auto: first OpenCL GPU})
     * @param openClRefused            auto wanted OpenCL but fell back to Java
     * @param skippedForSignalChaining OpenCL devices auto skipped because libjsig is not preloaded
     * @return true when this call announced it
     */
    static synchronized boolean announce(
            Device chosen, String how, boolean openClRefused, List<DeviceInfo> skippedForSignalChaining) {
        return announce(chosen, how, openClRefused, skippedForSignalChaining, System.err);
    }

    static synchronized boolean announce(
            Device chosen,
            String how,
            boolean openClRefused,
            List<DeviceInfo> skippedForSignalChaining,
            PrintStream fallback) {
        if (announced) {
            return false;
        }
        announced = true;
        List<String> fixes = new ArrayList<>();
        // The Java kernel matters only where the Java backend does the work; on an OpenCL device the line still
        // names the kernel, but a missing flag is no reason to warn.
        JavaBackend.fasterKernelFix().ifPresent(fixes::add);
        boolean warn = chosen.isJava() && (openClRefused || !fixes.isEmpty());
        if (chosen.isJava() && !skippedForSignalChaining.isEmpty()) {
            fixes.add("for OpenCL on "
                    + String.join(
                            ", ",
                            skippedForSignalChaining.stream()
                                    .map(DeviceInfo::id)
                                    .toList()) + ", start the JVM with " + SignalChaining.fix()
                    + " (signal chaining: the driver's"
                    + " in-process LLVM replaces the JVM's SIGSEGV handler, and libjsig keeps the JVM's first)");
        }
        if (!chosen.isJava()) {
            Optional<String> crashRisk = SignalChaining.risk(chosen.info());
            crashRisk.ifPresent(fixes::add);
            warn = crashRisk.isPresent();
        }
        String line = line(chosen, how, fixes);
        if (warn) {
            LOG.warn("{}", line);
        } else {
            LOG.info("{}", line);
        }
        if (noLoggingProvider()) {
            fallback.println(line);
        }
        return true;
    }

    static String line(Device chosen, String how, List<String> fixes) {
        StringBuilder line = new StringBuilder("jconv device: ")
                .append(chosen)
                .append(", ")
                .append(how)
                .append("; Java kernel: ")
                .append(JavaBackend.kernelDescription());
        for (String fix : fixes) {
            line.append("; ").append(fix);
        }
        return line.toString();
    }

    /** True when slf4j-api found no provider and discards every log line (its NOP fallback). */
    static boolean noLoggingProvider() {
        return LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;
    }
}
