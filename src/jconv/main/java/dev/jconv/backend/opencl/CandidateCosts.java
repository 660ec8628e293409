package dev.jconv.backend.opencl;

import java.util.EnumMap;
import java.util.Map;

/**
 * How long the tuner expects one more candidate to take (build, check and timing), from the candidates it has
 * measured. Builds dominate on CPU drivers, and they differ by kind far more than by parameters: PoCL builds a GEMM
 * candidate that stages tiles in local memory, whose barriers it must turn into work-item loops, in about 5 s on this
 * project's 2-core machines, against about 1.5 s for the other kinds. So the estimate is the slowest candidate seen of
 * the same kind, and for a kind not yet seen a multiple of the slowest of any kind: judging a first barrier kernel by
 * the direct kernels before it, the tuner once overran a 12 s budget by 11 s in CI.
 */
final class CandidateCosts {

    /** How many times the slowest candidate seen a candidate of an unseen kind is expected to take. */
    static final int UNSEEN_KIND_FACTOR = 4;

    /** Candidates whose builds cost about the same. */
    enum Kind {
        DIRECT,
        GEMM,
        GEMM_WITH_LOCAL_TILES;

        static Kind of(KernelChoice candidate) {
            if (candidate.gemm() == null) {
                return DIRECT;
            }
            return candidate.gemm().sa() || candidate.gemm().sb() ? GEMM_WITH_LOCAL_TILES : GEMM;
        }
    }

    private final Map<Kind, Long> slowestByKind = new EnumMap<>(Kind.class);
    private long slowest;

    /** Records that measuring {@code candidate} took {@code nanos}. */
    void record(KernelChoice candidate, long nanos) {
        slowestByKind.merge(Kind.of(candidate), nanos, Math::max);
        slowest = Math.max(slowest, nanos);
    }

    /** The nanoseconds {@code candidate} is expected to take; 0 before any candidate was measured. */
    long estimate(KernelChoice candidate) {
        Long seen = slowestByKind.get(Kind.of(candidate));
        return seen != null ? seen : UNSEEN_KIND_FACTOR * slowest;
    }

    /** The estimate of the cheapest kind seen: while it does not fit, no candidate does. */
    long cheapestEstimate() {
        return slowestByKind.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }
}
