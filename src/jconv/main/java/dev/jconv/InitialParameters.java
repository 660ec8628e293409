package dev.jconv;

import java.util.SplittableRandom;

/**
 * Where a new module's initial weights come from, as PyTorch's default generator is for {@code reset_parameters}:
 * unseeded (different weights every run) until {@link Jconv#manualSeed} seeds one process-wide stream, from which
 * modules then draw in the order they are built; a module built with its own seed draws from that seed alone.
 */
final class InitialParameters {

    /** The process-wide stream after {@link Jconv#manualSeed}; null while unseeded. Guarded by the class lock. */
    private static SplittableRandom seeded;

    private InitialParameters() {}

    static synchronized void manualSeed(long seed) {
        seeded = new SplittableRandom(seed);
    }

    static synchronized void clearManualSeed() {
        seeded = null;
    }

    /**
     * The generator for one new module's parameters.
     *
     * @param moduleSeed the module's own seed (builder {@code .seed}), or null to use the process-wide stream
     */
    static synchronized SplittableRandom generator(Long moduleSeed) {
        if (moduleSeed != null) {
            return new SplittableRandom(moduleSeed);
        }
        // split() advances the shared stream by a fixed amount whatever the module's size, so each module's weights
        // depend only on the seed and how many modules were built before it.
        return seeded != null ? seeded.split() : new SplittableRandom();
    }
}
