package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import dev.jconv.geometry.ConvGeometry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the kernel variant and parameters for each op on one device, in this order: a choice forced by the system
 * property {@value #PROPERTY} or the environment variable {@value #ENVIRONMENT} (as {@link KernelChoice#parse} reads
 * it: {@code direct}, {@code direct:OC=16,...}, {@code gemm} or {@code gemm:MWG=64,...}); this device's tuning file,
 * for the nearest tuned shape of the same structure; the shipped defaults for the device's type, vendor and shape
 * ({@link KernelDefaults}), which end in the heuristics. One log line per layer shape says which it
 * used. A tuning file that cannot be read gives one warning and the defaults.
 */
final class KernelSelector {

    static final String PROPERTY = "jconv.kernel";
    static final String ENVIRONMENT = "JCONV_KERNEL";
    private static final Logger LOG = LoggerFactory.getLogger(KernelSelector.class);
    /** The tuner's candidate, which wins over everything while it is being measured on this thread. */
    private static final ThreadLocal<KernelChoice> CANDIDATE = new ThreadLocal<>();

    /** A choice and where it came from, for the log line. */
    record Selection(KernelChoice choice, String source) {}

    private final DeviceInfo info;
    private final DeviceLimits limits;
    private final TuningFile tuningFile;
    private volatile List<TuningFile.Entry> tuned;
    /** The ops whose choice was logged: geometries are values, so this costs no text on the calls after the first. */
    private final Set<ConvGeometry> logged = ConcurrentHashMap.newKeySet();

    private final Map<TuningKey, Selection> looked = new ConcurrentHashMap<>();

    KernelSelector(DeviceInfo info, DeviceLimits limits, Path cacheDirectory) {
        this.info = info;
        this.limits = limits;
        this.tuningFile = new TuningFile(cacheDirectory, info);
        reload();
    }

    DeviceLimits limits() {
        return limits;
    }

    TuningFile tuningFile() {
        return tuningFile;
    }

    /** Reads the tuning file again (after the tuner has written it). */
    void reload() {
        try {
            tuned = tuningFile.read();
        } catch (IOException e) {
            LOG.warn(
                    "ignoring the tuning file of {}: {}; using the defaults (run `jconv tune` to rebuild it)",
                    info.id(),
                    e.getMessage());
            tuned = List.of();
        }
        looked.clear();
    }

    /** Runs {@code action} with {@code candidate} chosen for every op this thread enqueues; for the tuner. */
    static void withCandidate(KernelChoice candidate, Runnable action) {
        KernelChoice previous = CANDIDATE.get();
        CANDIDATE.set(candidate);
        try {
            action.run();
        } finally {
            CANDIDATE.set(previous);
        }
    }

    /**
     * The choice for one op; logs it once per distinct {@code geometry}.
     *
     * @throws IllegalArgumentException when a forced choice is malformed or cannot run on this device
     */
    KernelChoice choose(TuningKey key, ConvGeometry geometry) {
        Selection selection = select(key);
        if (logged.add(geometry)) {
            LOG.info(
                    "{} on {}: kernel {} ({})", geometry.describe(), info.id(), selection.choice(), selection.source());
        }
        return selection.choice();
    }

    /**
     * True when this thread's choice was asked for and must not be swapped for another (see {@link KernelFallback}):
     * a tuner candidate, or a kernel forced by {@value #PROPERTY} / {@value #ENVIRONMENT}.
     */
    boolean pinned() {
        return CANDIDATE.get() != null || Setting.read(PROPERTY, ENVIRONMENT) != null;
    }

    Selection select(TuningKey key) {
        KernelChoice candidate = CANDIDATE.get();
        if (candidate != null) {
            return new Selection(candidate, "tuner candidate");
        }
        Selection forced = forced();
        if (forced != null) {
            return forced;
        }
        // Found once per shape: every forward call asks again, and the answer changes only on reload().
        return looked.computeIfAbsent(key, this::lookUp);
    }

    /** The tuning file's nearest entry of the same structure, else the shipped defaults. */
    private Selection lookUp(TuningKey key) {
        TuningFile.Entry nearest = TuningFile.nearest(tuned, key);
        if (nearest != null && nearest.choice().problemFor(limits) == null) {
            return new Selection(
                    nearest.choice(),
                    "tuning file " + tuningFile.path()
                            + (nearest.key().equals(key) ? ", this shape" : ", nearest tuned shape " + nearest.key()));
        }
        KernelDefaults.Default shipped = KernelDefaults.forShape(info, key);
        return new Selection(shipped.choice(), shipped.source());
    }

    private Selection forced() {
        Setting setting = Setting.read(PROPERTY, ENVIRONMENT);
        if (setting == null) {
            return null;
        }
        KernelChoice choice;
        try {
            choice = KernelChoice.parse(setting.value(), KernelDefaults.gemmFor(info));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting.source() + ": " + e.getMessage(), e);
        }
        String problem = choice.problemFor(limits);
        if (problem != null) {
            throw new IllegalArgumentException(setting.source() + " asks for kernel " + choice
                    + ", which cannot run on " + info.id() + ": " + problem);
        }
        return new Selection(choice, "forced by " + setting.source());
    }
}
