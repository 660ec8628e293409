package dev.jconv;

import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.java.JavaBackend;
import dev.jconv.backend.opencl.OpenClDevices;
import dev.jconv.backend.opencl.SignalChaining;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists devices and decides which one runs. Like Lucene's VectorizationProvider, the choice is made once, the
 * portable Java path always exists, and the first choice in a JVM is reported in one line ({@link StartupLine}): the
 * device, why, the Java kernel, and what would enable a faster path that is off.
 */
public final class Devices {

    /** System property that overrides the device choice. */
    public static final String PROPERTY = "jconv.device";
    /** Environment variable that overrides the device choice when the property is unset. */
    public static final String ENVIRONMENT = "JCONV_DEVICE";

    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
    /** The Java backend, typed: host tensors wrap their arrays in its buffers. */
    private static final JavaBackend JAVA_BACKEND = new JavaBackend();

    private static final Device JAVA = new Device(JAVA_BACKEND);
    private static final Map<String, Device> OPEN = new HashMap<>();
    /** Devices whose crash risk was already logged (once per device is enough). Guarded by the class lock. */
    private static final Set<String> RISK_WARNED = new HashSet<>();

    private static OpenClDevices.Discovery discovery;
    private static Device preferred;

    private Devices() {}

    static Device javaDevice() {
        return JAVA;
    }

    /** A buffer of the Java device around {@code data}, without copying: the storage of a host tensor. */
    static DeviceBuffer wrapHost(float[] data) {
        return JAVA_BACKEND.wrap(data);
    }

    /** Every device that can run, the Java backend first, then each OpenCL device in discovery order. */
    public static List<DeviceInfo> list() {
        List<DeviceInfo> all = new ArrayList<>();
        all.add(JAVA.info());
        all.addAll(openCl().devices());
        return all;
    }

    /** Why OpenCL offers no device, if it offers none. */
    public static Optional<String> openClProblem() {
        return Optional.ofNullable(openCl().problem());
    }

    /** The id {@code auto} picks: the first GPU, else the first other OpenCL device, else {@code java}. */
    public static String autoChoice() {
        return bestOpenCl().map(DeviceInfo::id).orElse("java");
    }

    /** The configured selection: the {@code jconv.device} property, else {@code JCONV_DEVICE}, else auto. */
    public static String configuredSelection() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        String environment = System.getenv(ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return environment.trim();
        }
        return "auto";
    }

    /** The device that modules use unless told otherwise; chosen once, and reported if it is the first choice. */
    static synchronized Device preferred() {
        if (preferred == null || preferred.isClosed()) {
            String selection = configuredSelection();
            Choice choice = choose(selection);
            preferred = choice.device();
            report(
                    choice,
                    selection.equals("auto")
                            ? "chosen by auto"
                            : "chosen by " + PROPERTY + " / " + ENVIRONMENT + "=" + selection);
        }
        return preferred;
    }

    /** The Java device asked for by name ({@link Device#java()}); reported if it is the first choice. */
    static Device requestedJava() {
        report(new Choice(JAVA, null, List.of()), "requested");
        return JAVA;
    }

    /**
     * One device choice: the device, why auto made it (null for a choice by name), and the OpenCL devices auto
     * skipped because their driver needs signal chaining that is off.
     */
    private record Choice(Device device, String autoReason, List<DeviceInfo> skippedForSignalChaining) {}

    /**
     * The first choice in this JVM becomes the library's one start-up line ({@link StartupLine}). Later choices log
     * only what would otherwise go unsaid: auto falling back to Java, or a device that can crash the JVM.
     */
    private static synchronized void report(Choice choice, String how) {
        Device device = choice.device();
        String reason = choice.autoReason() == null ? "" : ": " + choice.autoReason();
        boolean openClRefused = choice.autoReason() != null && device.isJava();
        if (StartupLine.announce(device, how + reason, openClRefused, choice.skippedForSignalChaining())) {
            RISK_WARNED.add(device.id()); // the start-up line names the risk of the device it reports
            return;
        }
        if (openClRefused) {
            warnOnce(
                    choice.skippedForSignalChaining().isEmpty()
                            ? choice.autoReason()
                            : String.join("; ", autoRefusals()));
        } else if (!device.isJava() && RISK_WARNED.add(device.id())) {
            SignalChaining.risk(device.info())
                    .ifPresent(risk -> LOG.warn("{} was requested explicitly, but {}", device.id(), risk));
        }
    }

    private static String autoReason(Device chosen) {
        return chosen.info().type() == DeviceType.GPU ? "first OpenCL GPU" : "no OpenCL GPU, first other OpenCL device";
    }

    /**
     * Checks that {@code selection} is well-formed text ({@code auto}, {@code java}, {@code opencl}, {@code opencl:N})
     * without opening anything.
     *
     * @throws IllegalArgumentException naming the text otherwise
     */
    public static void checkSelection(String selection) {
        String text = selection == null ? "" : selection.trim().toLowerCase(Locale.ROOT);
        if (!text.matches("auto|java|opencl|opencl:[0-9]+")) {
            throw new IllegalArgumentException(
                    "unknown device '" + selection + "': expected auto, java, opencl or opencl:N");
        }
    }

    /** See {@link Device#select(String)}. */
    public static synchronized Device select(String selection) {
        Choice choice = choose(selection);
        report(choice, choice.autoReason() != null ? "chosen by auto" : "requested");
        return choice.device();
    }

    private static Choice choose(String selection) {
        String text = selection == null ? "auto" : selection.trim().toLowerCase(Locale.ROOT);
        checkSelection(text);
        if (text.equals("java")) {
            return new Choice(JAVA, null, List.of());
        }
        if (text.equals("auto")) {
            List<DeviceInfo> skipped = openCl().devices().stream()
                    .filter(info -> SignalChaining.risk(info).isPresent())
                    .toList();
            Optional<DeviceInfo> best = bestOpenCl();
            if (best.isEmpty()) {
                // Every listed device was skipped for signal chaining; the start-up line adds the fix.
                String why = openCl().devices().isEmpty()
                        ? "no usable OpenCL device: " + openCl().problem()
                        : "OpenCL " + skipped.stream().map(DeviceInfo::id).toList() + " skipped, since its driver can"
                                + " crash a JVM that runs without signal chaining";
                return new Choice(JAVA, why, skipped);
            }
            try {
                Device device = open(best.get());
                return new Choice(device, autoReason(device), skipped);
            } catch (RuntimeException | LinkageError e) {
                // A listed device can still fail to open (driver error, device lost): auto must keep working.
                return new Choice(JAVA, "opening " + best.get().summary() + " failed: " + e.getMessage(), skipped);
            }
        }
        if (text.equals("opencl")) {
            return new Choice(open(bestOpenClRegardless().orElseThrow(() -> unavailable(selection))), null, List.of());
        }
        // checkSelection leaves only opencl:N here.
        for (DeviceInfo info : openCl().devices()) {
            if (info.id().equals(text)) {
                return new Choice(open(info), null, List.of());
            }
        }
        if (openCl().devices().isEmpty()) {
            throw unavailable(selection);
        }
        throw new IllegalArgumentException("unknown device '" + selection + "': OpenCL devices are "
                + openCl().devices().stream().map(DeviceInfo::id).toList() + " (see `jconv devices`)");
    }

    private static IllegalStateException unavailable(String selection) {
        return new IllegalStateException(
                "device '" + selection + "' was requested but OpenCL cannot be used: " + openCl().problem());
    }

    private static boolean warned;

    private static void warnOnce(String reason) {
        if (!warned) {
            warned = true;
            LOG.warn("OpenCL is not used, running on the Java backend: {}", reason);
        }
    }

    private static Device open(DeviceInfo info) {
        Device device = OPEN.get(info.id());
        if (device == null || device.isClosed()) {
            device = new Device(OpenClDevices.open(info));
            OPEN.put(info.id(), device);
        }
        return device;
    }

    /**
     * The best OpenCL device auto may use: GPUs first, and never one whose driver could crash this JVM (see
     * {@link SignalChaining}); such a device is still used when asked for by name.
     */
    private static Optional<DeviceInfo> bestOpenCl() {
        return openCl().devices().stream()
                .filter(info -> SignalChaining.risk(info).isEmpty())
                .min(Comparator.comparing((DeviceInfo info) -> info.type() == DeviceType.GPU ? 0 : 1));
    }

    /** The best OpenCL device whatever its risk, for an explicit {@code opencl} request. */
    private static Optional<DeviceInfo> bestOpenClRegardless() {
        return openCl().devices().stream()
                .min(Comparator.comparing((DeviceInfo info) -> info.type() == DeviceType.GPU ? 0 : 1));
    }

    /** Why auto refuses the OpenCL devices it refuses, if it refuses any. */
    public static List<String> autoRefusals() {
        return openCl().devices().stream()
                .map(SignalChaining::risk)
                .flatMap(Optional::stream)
                .toList();
    }

    private static synchronized OpenClDevices.Discovery openCl() {
        if (discovery == null) {
            discovery = OpenClDevices.discover();
        }
        return discovery;
    }
}
