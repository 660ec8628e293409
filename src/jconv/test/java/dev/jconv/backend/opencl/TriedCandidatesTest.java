package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.DeviceType;
import org.junit.jupiter.api.Test;

/** The tuner tries a candidate only when no earlier one planned the same launch for the case. */
class TriedCandidatesTest {

    private static final Tuning CPU = Tuning.forType(DeviceType.CPU);

    private static KernelChoice direct(String parameters) {
        return KernelChoice.parse("direct:" + parameters, null);
    }

    @Test
    void aTransposedCaseIgnoresConv2dsTileButNotItsOwn() {
        try (ConvTranspose2d up =
                ConvTranspose2d.builder(64, 32, 4).stride(2).padding(1).build()) {
            TriedCandidates tried = new TriedCandidates(up.geometry(1, 64, 16, 16), CPU);
            assertTrue(tried.add(direct("OC=16,OCT=8,VW=16,WG=8,WORK=256,JV=1")));
            assertFalse(tried.add(direct("OC=16,OCT=8,VW=16,WG=8,WORK=256,JV=1")), "the same choice");
            assertFalse(tried.add(direct("OC=4,OCT=8,VW=16,WG=8,WORK=256,JV=1")), "only OC differs");
            assertFalse(tried.add(direct("OC=4,OCT=8,VW=16,WG=8,WORK=64,JV=1")), "only OC and WORK differ");
            assertTrue(tried.add(direct("OC=16,OCT=4,VW=16,WG=8,WORK=256,JV=1")), "another transposed tile");
            assertTrue(tried.add(direct("OC=16,OCT=8,VW=16,WG=8,WORK=256,JV=2")), "two vectors per work-item");
        }
    }

    @Test
    void aConv2dCaseIgnoresTheTransposedTileButNotItsOwn() {
        try (Conv2d conv = Conv2d.builder(64, 64, 3).padding(1).build()) {
            TriedCandidates tried = new TriedCandidates(conv.geometry(1, 64, 28, 28), CPU);
            assertTrue(tried.add(direct("OC=16,OCT=8,VW=16,WG=8,WORK=256,JV=2")));
            assertFalse(tried.add(direct("OC=16,OCT=24,VW=16,WG=8,WORK=256,JV=2")), "only OCT differs");
            assertTrue(tried.add(direct("OC=8,OCT=8,VW=16,WG=8,WORK=256,JV=2")), "another channel tile");
            assertTrue(tried.add(KernelChoice.gemm(new GemmParameters(16, 64, 16, 1, 8, false, false))));
            assertFalse(
                    tried.add(KernelChoice.gemm(new GemmParameters(16, 64, 16, 1, 8, false, false))),
                    "the same GEMM again");
        }
    }
}
