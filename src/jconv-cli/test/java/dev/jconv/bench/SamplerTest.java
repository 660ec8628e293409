package dev.jconv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The sampling rule: a perfectly steady call still samples for the minimum window before its median counts as
 * stable, the budget ends sampling early, and the sample cap ends it sooner.
 */
class SamplerTest {

    /** About 50 us per call: steady, so only the window keeps the sampler going past its first ten samples. */
    private static void steadyCall() {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 50_000) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aSteadyCallIsSampledForTheMinimumWindow() {
        Timing timing = new Sampler(3.0, 1_000_000).sample(SamplerTest::steadyCall);

        // 0.5 s of 50 us calls is about 10 000 samples; without the window the rule stopped at 10.
        assertTrue(timing.samples() > 2_000, "only " + timing.samples() + " samples");
        assertTrue(timing.medianMillis() >= 0.05, "median " + timing.medianMillis() + " ms");
    }

    @Test
    void aShortBudgetEndsSamplingBeforeTheWindow() {
        AtomicInteger calls = new AtomicInteger();
        Timing timing = new Sampler(0.05, 1_000_000).sample(() -> {
            calls.incrementAndGet();
            steadyCall();
        });

        // A 0.05 s budget holds at most about 1 000 calls of 50 us (fewer on a slow machine); the 0.5 s window would
        // have taken about 10 000.
        assertTrue(timing.samples() >= 10 && timing.samples() < 3_000, timing.samples() + " samples");
        assertTrue(calls.get() > timing.samples(), "the warm-up calls are not samples");
    }

    @Test
    void theSampleCapEndsSamplingFirst() {
        Timing timing = new Sampler(3.0, 40).sample(SamplerTest::steadyCall);

        assertEquals(40, timing.samples());
    }
}
