package dev.jconv.backend.opencl;

import dev.jconv.backend.Backend;

/**
 * What a device's program cache has done since the device opened, for tools such as {@code jconv compile}: programs
 * compiled from source ({@code built}), created from stored binaries ({@code loaded}), lookups served from memory
 * ({@code reused}: built already, or being built by another thread; a launch looks its program up twice, when it is
 * planned and when it is enqueued) and programs evicted, plus how many it holds now. All zero for a backend that
 * compiles nothing.
 */
public record ProgramCounts(long built, long loaded, long reused, long evicted, int held) {

    /** The counts of {@code backend}'s program cache. */
    public static ProgramCounts of(Backend backend) {
        if (backend instanceof OpenClBackend openCl) {
            return openCl.programCounts();
        }
        return new ProgramCounts(0, 0, 0, 0, 0);
    }

    /** The counts from {@code earlier} to these (held: as now). */
    public ProgramCounts since(ProgramCounts earlier) {
        return new ProgramCounts(
                built - earlier.built,
                loaded - earlier.loaded,
                reused - earlier.reused,
                evicted - earlier.evicted,
                held);
    }

    /** Programs obtained by compiling or loading: what a warm-up had to do. */
    public long obtained() {
        return built + loaded;
    }
}
