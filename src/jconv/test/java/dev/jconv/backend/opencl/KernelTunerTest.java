package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.TestDevices;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tuner on the real OpenCL device: it ends within its budget, records what it measured, and the file is used. */
class KernelTunerTest {

    @Test
    void aCaseMustCarryTheParametersItsGeometryTakes() {
        try (Conv2d conv = Conv2d.builder(8, 16, 3).build()) {
            float[] weight = conv.weight().toArray();
            IllegalArgumentException noBias = assertThrows(
                    IllegalArgumentException.class,
                    () -> new KernelTuner.Case("conv", conv.geometry(1, 8, 12, 12), weight, null));
            assertTrue(noBias.getMessage().contains("takes 16 bias values, but got none"), noBias.getMessage());
            IllegalArgumentException shortWeight = assertThrows(
                    IllegalArgumentException.class,
                    () -> new KernelTuner.Case("conv", conv.geometry(1, 8, 12, 12), new float[3], new float[16]));
            assertTrue(shortWeight.getMessage().contains("the weight has 3 values"), shortWeight.getMessage());
        }
    }

    /**
     * Enough for two candidates per case on PoCL, where each candidate's build takes about a second: the default and
     * one more, which plans another launch (candidates planning the default's launch are not tried).
     */
    private static final int BUDGET_SECONDS = 12;

    @Test
    void tunesWithinTheBudgetAndTheResultIsUsed() throws Exception {
        Device device = TestDevices.openClOrSkip();
        OpenClBackend backend = (OpenClBackend) device.backend();
        KernelSelector selector = backend.selector();
        List<String> progress = new ArrayList<>();
        List<Long> progressNanos = new ArrayList<>();
        try (Conv2d conv = Conv2d.builder(8, 16, 3).padding(1).device(device).build();
                ConvTranspose2d up = ConvTranspose2d.builder(16, 8, 4)
                        .stride(2)
                        .padding(1)
                        .bias(false)
                        .device(device)
                        .build()) {
            long start = System.nanoTime();
            KernelTuner tuner = new KernelTuner(backend, Device.java().backend(), BUDGET_SECONDS, 3, line -> {
                progress.add(line);
                progressNanos.add(System.nanoTime());
            });
            List<KernelTuner.Result> results = tuner.tune(List.of(
                    new KernelTuner.Case(
                            "conv",
                            conv.geometry(1, 8, 12, 12),
                            conv.weight().toArray(),
                            conv.bias().toArray()),
                    new KernelTuner.Case(
                            "up", up.geometry(1, 16, 6, 6), up.weight().toArray(), null)));
            double seconds = (System.nanoTime() - start) / 1e9;
            // The budget decides whether a candidate starts. So the run may overrun it by one step that took longer
            // than the tuner expected (a build slower than its kind's, a stall of the machine), and a case begun
            // late still measures its default; a tuner that kept taking candidates would overrun it by many steps.
            double longestStep = longestGapSeconds(start, progressNanos);
            assertTrue(
                    seconds < BUDGET_SECONDS + 2 * longestStep + 1,
                    "took " + seconds + " s, the longest step " + longestStep + " s: " + progress);
            assertEquals(2, results.size());
            for (KernelTuner.Result result : results) {
                assertTrue(result.measured() >= 1, result.toString());
                assertTrue(result.bestMillis() <= result.defaultMillis(), result.toString());
            }
            // Beyond the defaults, at least one candidate was tried (the first case alone has time for two).
            assertTrue(results.get(0).measured() + results.get(1).measured() >= 3, progress.toString());
            List<TuningFile.Entry> entries = selector.tuningFile().read();
            assertEquals(2, entries.size(), Files.readString(tuner.tuningFile()));
            TuningKey convKey = TuningKey.of(conv.geometry(1, 8, 12, 12));
            KernelSelector.Selection selection = selector.select(convKey);
            assertTrue(selection.source().contains("tuning file"), selection.source());
            assertEquals(results.get(0).bestKernel(), selection.choice().toString());
        } finally {
            Files.deleteIfExists(selector.tuningFile().path());
            selector.reload();
        }
    }

    private static double longestGapSeconds(long start, List<Long> nanos) {
        long longest = 0;
        long previous = start;
        for (long time : nanos) {
            longest = Math.max(longest, time - previous);
            previous = time;
        }
        return longest / 1e9;
    }
}
