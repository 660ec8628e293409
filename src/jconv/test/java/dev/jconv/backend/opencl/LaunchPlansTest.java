package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jconv.Conv2d;
import dev.jconv.geometry.Conv2dGeometry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A launch is planned once per kernel choice and geometry value, and the number kept stays bounded. */
class LaunchPlansTest {

    private final Conv2d conv = Conv2d.builder(4, 8, 3).padding(1).build();
    private final AtomicInteger planned = new AtomicInteger();

    private KernelLaunch plan() {
        planned.incrementAndGet();
        return new KernelLaunch("conv2d.cl", "conv2d", "-D N=" + planned.get(), new long[] {1}, null);
    }

    @Test
    void anEqualCallReusesItsLaunchAndAnotherSizeOrChoiceGetsItsOwn() {
        LaunchPlans plans = new LaunchPlans();
        // Two geometry objects built separately for the same input: equal values, one plan.
        KernelLaunch first = plans.get(KernelChoice.DIRECT, conv.geometry(1, 4, 10, 12), this::plan);
        KernelLaunch again = plans.get(KernelChoice.DIRECT, conv.geometry(1, 4, 10, 12), this::plan);
        assertSame(first, again);
        assertEquals(1, planned.get());
        KernelLaunch otherSize = plans.get(KernelChoice.DIRECT, conv.geometry(1, 4, 11, 12), this::plan);
        KernelChoice otherChoice = KernelChoice.gemm(new GemmParameters(16, 64, 16, 1, 8, false, false));
        KernelLaunch otherKernel = plans.get(otherChoice, conv.geometry(1, 4, 10, 12), this::plan);
        assertNotSame(first, otherSize);
        assertNotSame(first, otherKernel);
        assertEquals(3, planned.get());
        assertEquals(3, plans.size());
    }

    @Test
    void manyInputSizesKeepABoundedNumberOfLaunches() {
        LaunchPlans plans = new LaunchPlans();
        for (int height = 3; height < 3 + 2000; height++) {
            Conv2dGeometry geometry = conv.geometry(1, 4, height, 5);
            plans.get(KernelChoice.DIRECT, geometry, this::plan);
        }
        assertEquals(2000, planned.get());
        assertEquals(2000 % 512, plans.size(), "started over each time it held 512");
    }
}
