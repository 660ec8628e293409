package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import dev.jconv.geometry.ConvGeometry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans each op with the kernel the {@link KernelSelector} picks and makes sure it can run: its program builds, and
 * its work-group fits the limit the driver gives that kernel ({@code CL_KERNEL_WORK_GROUP_SIZE}, which a GPU driver
 * may set below the device's maximum for a kernel that needs many registers). When the driver refuses either, the op
 * runs the other kernel family with its defaults for this device instead (GEMM for direct, direct for GEMM: both give
 * the same results, only at another speed), with one warning per refusal, and later calls of that shape go straight
 * to the replacement instead of compiling or asking again. When the replacement is refused too, the first refusal
 * ({@link KernelBuildException} or {@link WorkGroupLimitException}) is thrown with the second one suppressed in it:
 * there is no third kernel, and never a wrong result.
 *
 * <p>A kernel that was asked for (forced by {@code jconv.kernel}, or a tuner candidate) never falls back: running
 * something else would hide the failure from whoever asked.
 */
final class KernelFallback {

    private static final Logger LOG = LoggerFactory.getLogger(KernelFallback.class);

    /** The most work-items per work-group the driver allows one built kernel; asked of the driver outside tests. */
    @FunctionalInterface
    interface WorkGroupLimit {
        long of(ClKernel kernel);
    }

    /**
     * What the driver refused. A build refusal covers the whole program, whatever the launch: its kernel name is null
     * and its work-items 0. A work-group refusal covers launches of that kernel with that many work-items per group.
     */
    private record Refusal(String sourceName, String options, String kernelName, long workItems) {
        static Refusal ofProgram(KernelLaunch launch) {
            return new Refusal(launch.sourceName(), launch.options(), null, 0);
        }

        static Refusal ofWorkGroup(KernelLaunch launch) {
            return new Refusal(
                    launch.sourceName(),
                    launch.options(),
                    launch.kernelName(),
                    WorkGroupLimitException.workItems(launch.local()));
        }
    }

    private final KernelSelector selector;
    private final ProgramCache programs;
    private final DeviceInfo info;
    private final WorkGroupLimit workGroupLimit;
    /** What the driver refused, and the choice that replaced each. */
    private final Map<Refusal, KernelChoice> refused = new ConcurrentHashMap<>();

    KernelFallback(KernelSelector selector, ProgramCache programs, DeviceInfo info, WorkGroupLimit workGroupLimit) {
        this.selector = selector;
        this.programs = programs;
        this.info = info;
        this.workGroupLimit = workGroupLimit;
    }

    /**
     * A fallback planning with the same selector and programs, but with the work-group limits {@code limit} gives,
     * and nothing refused yet; for tests, as PoCL and Oclgrind give every kernel the device's maximum.
     */
    KernelFallback withWorkGroupLimit(WorkGroupLimit limit) {
        return new KernelFallback(selector, programs, info, limit);
    }

    /**
     * The launch for one op, its program built (so it is in the cache when the op runs) and its work-group within
     * its kernel's limit.
     *
     * @param planner the op's plan for a given choice
     * @throws KernelBuildException     when the chosen kernel does not build, and its replacement is refused too
     * @throws WorkGroupLimitException when the chosen kernel's work-group is over its limit, and its replacement is
     *                                  refused too
     */
    KernelLaunch launch(TuningKey key, ConvGeometry geometry, Function<KernelChoice, KernelLaunch> planner) {
        KernelChoice choice = selector.choose(key, geometry);
        KernelLaunch launch = planner.apply(choice);
        if (launch.runsNothing()) {
            return launch;
        }
        // The map is empty unless the driver refused something, so the common call costs one size check here.
        KernelChoice replacement = refused.isEmpty() ? null : replacementOf(launch);
        if (replacement != null && !selector.pinned()) {
            return runnable(planner.apply(replacement));
        }
        try {
            return runnable(launch);
        } catch (KernelBuildException | WorkGroupLimitException failure) {
            KernelChoice other = selector.pinned() ? null : otherFamily(choice);
            if (other == null) {
                throw failure;
            }
            KernelLaunch otherLaunch;
            try {
                otherLaunch = runnable(planner.apply(other));
            } catch (KernelBuildException | WorkGroupLimitException second) {
                failure.addSuppressed(second);
                throw failure;
            }
            boolean buildFailed = failure instanceof KernelBuildException;
            Refusal refusal = buildFailed ? Refusal.ofProgram(launch) : Refusal.ofWorkGroup(launch);
            if (refused.putIfAbsent(refusal, other) == null) {
                LOG.warn(
                        "{} on {}: the {} kernel {} ({}); running the {} kernel instead",
                        geometry.describe(),
                        info.id(),
                        choice,
                        buildFailed ? "did not build" : "cannot run its work-group here",
                        firstLine(failure.getMessage()),
                        other);
            }
            return otherLaunch;
        }
    }

    /** Programs and work-groups refused so far; for tests. */
    int refusedPrograms() {
        return refused.size();
    }

    /** The choice that replaced {@code launch}'s program or work-group, or null when the driver refused neither. */
    private KernelChoice replacementOf(KernelLaunch launch) {
        KernelChoice replacement = refused.get(Refusal.ofProgram(launch));
        return replacement != null || launch.local() == null ? replacement : refused.get(Refusal.ofWorkGroup(launch));
    }

    /** {@code launch}, once its program is built and its work-group is known to fit its kernel's limit. */
    private KernelLaunch runnable(KernelLaunch launch) {
        try (ProgramCache.Lease lease = programs.acquire(launch.sourceName(), launch.options())) {
            if (launch.local() != null) {
                long limit = workGroupLimit.of(lease.program().kernel(launch.kernelName()));
                if (WorkGroupLimitException.workItems(launch.local()) > limit) {
                    throw new WorkGroupLimitException(launch, limit, info.summary());
                }
            }
        }
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
