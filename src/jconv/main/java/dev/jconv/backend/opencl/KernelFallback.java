package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import dev.jconv.geometry.ConvGeometry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans each op with the kernel the {@link KernelSelector} picks and makes sure its program builds. When the driver
 * refuses to build it, the op runs the other kernel family with its defaults for this device instead (GEMM for
 * direct, direct for GEMM: both give the same results, only at another speed), with one warning per refused
 * program, and later calls of that shape go straight to the replacement instead of compiling again. When the
 * replacement does not build either, the first build's {@link KernelBuildException} is thrown with the second one
 * suppressed in it: there is no third kernel, and never a wrong result.
 *
 * <p>A kernel that was asked for (forced by {@code jconv.kernel}, or a tuner candidate) never falls back: running
 * something else would hide the failure from whoever asked.
 */
final class KernelFallback {

    private static final Logger LOG = LoggerFactory.getLogger(KernelFallback.class);

    private record ProgramKey(String sourceName, String options) {
        static ProgramKey of(KernelLaunch launch) {
            return new ProgramKey(launch.sourceName(), launch.options());
        }
    }

    private final KernelSelector selector;
    private final ProgramCache programs;
    private final DeviceInfo info;
    /** Programs the driver refused, and the choice that replaced each. */
    private final Map<ProgramKey, KernelChoice> refused = new ConcurrentHashMap<>();

    KernelFallback(KernelSelector selector, ProgramCache programs, DeviceInfo info) {
        this.selector = selector;
        this.programs = programs;
        this.info = info;
    }

    /**
     * The launch for one op, its program built (so it is in the cache when the op runs).
     *
     * @param planner the op's plan for a given choice
     * @throws KernelBuildException when neither the chosen kernel nor its replacement builds
     */
    KernelLaunch launch(TuningKey key, ConvGeometry geometry, Function<KernelChoice, KernelLaunch> planner) {
        KernelChoice choice = selector.choose(key, geometry);
        KernelLaunch launch = planner.apply(choice);
        if (launch.runsNothing()) {
            return launch;
        }
        // The map is empty unless a build failed, so the common call costs one size check here.
        KernelChoice replacement = refused.isEmpty() ? null : refused.get(ProgramKey.of(launch));
        if (replacement != null && !selector.pinned()) {
            return built(planner.apply(replacement));
        }
        try {
            return built(launch);
        } catch (KernelBuildException failure) {
            KernelChoice other = selector.pinned() ? null : otherFamily(choice);
            if (other == null) {
                throw failure;
            }
            KernelLaunch otherLaunch;
            try {
                otherLaunch = built(planner.apply(other));
            } catch (KernelBuildException second) {
                failure.addSuppressed(second);
                throw failure;
            }
            if (refused.putIfAbsent(ProgramKey.of(launch), other) == null) {
                LOG.warn(
                        "{} on {}: the {} kernel did not build ({}); running the {} kernel instead",
                        geometry.describe(),
                        info.id(),
                        choice,
                        firstLine(failure.getMessage()),
                        other);
            }
            return otherLaunch;
        }
    }

    /** Programs refused so far; for tests. */
    int refusedPrograms() {
        return refused.size();
    }

    private KernelLaunch built(KernelLaunch launch) {
        programs.acquire(launch.sourceName(), launch.options()).close();
        return launch;
    }

    /** The other family's default on this device, or null when that cannot run here. */
    private KernelChoice otherFamily(KernelChoice choice) {
        KernelChoice other = choice.variant() == KernelChoice.Variant.DIRECT
                ? KernelChoice.gemm(KernelDefaults.gemmFor(info))
                : KernelChoice.DIRECT;
        return other.problemFor(selector.limits()) == null ? other : null;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
