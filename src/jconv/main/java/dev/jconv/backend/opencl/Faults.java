package dev.jconv.backend.opencl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault-injection seam: just before each OpenCL call of a {@link FaultPoint}, the host layer asks {@link #check}
 * whether this call should fail, and if so gets the same {@code CLException} the driver would throw, so an injected
 * fault takes exactly the path of a real one. Off unless the system property {@value #PROPERTY} or the environment
 * variable {@value #ENVIRONMENT} gives a {@link FaultPlan} (read when the first OpenCL device opens), or a test
 * installs one; while off, a check is one read of a volatile field that is null.
 */
final class Faults {

    static final String PROPERTY = "jconv.faults";
    static final String ENVIRONMENT = "JCONV_FAULTS";
    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

    private static volatile FaultPlan plan;
    /** Whether the settings have been read (or overridden by a test); guarded by the class lock. */
    private static boolean settled;

    private Faults() {}

    /**
     * Reads {@value #PROPERTY} / {@value #ENVIRONMENT} once per process, so the call counts run over the whole
     * process, whichever device the calls go to.
     *
     * @throws IllegalArgumentException when the setting is malformed, naming it, the bad entry and the rule; every
     *                                  later call throws the same until it is fixed (nothing runs with half a plan)
     */
    static synchronized void readSettings() {
        if (settled) {
            return;
        }
        Setting setting = Setting.read(PROPERTY, ENVIRONMENT);
        if (setting != null) {
            plan = parse(setting);
            LOG.warn(
                    "fault injection is on ({} = {}): these OpenCL calls will fail on purpose",
                    setting.source(),
                    setting.value());
        }
        settled = true;
    }

    /** The plan a setting gives; a malformed one's message starts with where the setting came from. */
    static FaultPlan parse(Setting setting) {
        try {
            return FaultPlan.parse(setting.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting.source() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Counts one call at {@code point}; throws when the plan says this call fails.
     *
     * @throws InjectedFault carrying the planned OpenCL status
     */
    static void check(FaultPoint point) {
        FaultPlan current = plan;
        if (current == null) {
            return;
        }
        FaultPlan.Fault fault = current.next(point);
        if (fault != null) {
            throw new InjectedFault(fault);
        }
    }

    /** Replaces the plan, with every count at zero, whatever the settings say; for tests. */
    static synchronized FaultPlan install(String spec) {
        FaultPlan parsed = FaultPlan.parse(spec);
        settled = true;
        plan = parsed;
        return parsed;
    }

    /** Turns fault injection off for the rest of the process; for tests. */
    static synchronized void clear() {
        settled = true;
        plan = null;
    }
}
