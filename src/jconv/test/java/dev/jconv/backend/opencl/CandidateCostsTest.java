package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tuner's expectation of a candidate's cost: by kind, and cautious for a kind it has not built yet. */
class CandidateCostsTest {

    private static final KernelChoice GEMM = KernelChoice.gemm(new GemmParameters(16, 64, 16, 1, 8, false, false));
    private static final KernelChoice GEMM_WITH_LOCAL_A =
            KernelChoice.gemm(new GemmParameters(16, 64, 16, 1, 8, true, false));
    private static final KernelChoice GEMM_WITH_LOCAL_B =
            KernelChoice.gemm(new GemmParameters(8, 16, 4, 4, 4, false, true));

    @Test
    void nothingMeasuredExpectsNothing() {
        CandidateCosts costs = new CandidateCosts();
        assertEquals(0, costs.estimate(KernelChoice.DIRECT));
        assertEquals(0, costs.estimate(GEMM));
        assertEquals(0, costs.cheapestEstimate());
    }

    @Test
    void aSeenKindCostsItsSlowestCandidate() {
        CandidateCosts costs = new CandidateCosts();
        costs.record(KernelChoice.DIRECT, 1_000);
        costs.record(KernelChoice.DIRECT, 1_500);
        costs.record(KernelChoice.DIRECT, 700);
        costs.record(GEMM, 2_000);
        assertEquals(1_500, costs.estimate(KernelChoice.DIRECT));
        assertEquals(2_000, costs.estimate(GEMM));
        assertEquals(1_500, costs.cheapestEstimate());
    }

    @Test
    void anUnseenKindCostsAMultipleOfTheSlowestOfAnyKind() {
        CandidateCosts costs = new CandidateCosts();
        costs.record(KernelChoice.DIRECT, 1_000);
        costs.record(GEMM, 1_400);
        // The barrier kernels' first build: judged by neither the direct nor the plain GEMM kernels alone.
        assertEquals(CandidateCosts.UNSEEN_KIND_FACTOR * 1_400L, costs.estimate(GEMM_WITH_LOCAL_A));
        costs.record(GEMM_WITH_LOCAL_A, 5_000);
        // Staging either operand in local memory is one kind.
        assertEquals(5_000, costs.estimate(GEMM_WITH_LOCAL_B));
        assertEquals(1_000, costs.cheapestEstimate());
    }

    @Test
    void theKindsFollowTheBuildsThatCostDifferently() {
        assertEquals(CandidateCosts.Kind.DIRECT, CandidateCosts.Kind.of(KernelChoice.DIRECT));
        assertEquals(
                CandidateCosts.Kind.DIRECT,
                CandidateCosts.Kind.of(KernelChoice.direct(DirectParameters.SPACE.random(new SplittableRandom(5)))));
        assertEquals(CandidateCosts.Kind.GEMM, CandidateCosts.Kind.of(GEMM));
        assertEquals(CandidateCosts.Kind.GEMM_WITH_LOCAL_TILES, CandidateCosts.Kind.of(GEMM_WITH_LOCAL_A));
        assertEquals(CandidateCosts.Kind.GEMM_WITH_LOCAL_TILES, CandidateCosts.Kind.of(GEMM_WITH_LOCAL_B));
    }
}
