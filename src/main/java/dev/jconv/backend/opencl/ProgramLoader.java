package dev.jconv.backend.opencl;

/**
 * Obtains one built program for a device: from the {@link ProgramBinaries} when they hold a usable binary, else by
 * compiling the source, whose binary is then stored for the next process. Knows nothing of caching in memory; that
 * is {@link ProgramCache}'s job.
 */
class ProgramLoader {

    /** Where a program came from. */
    enum Origin {
        /** Compiled from source. */
        BUILT,
        /** Created from a binary an earlier build stored. */
        LOADED
    }

    /** A program and its origin. */
    record Loaded(ClProgram program, Origin origin) {
    }

    private final ClQueue queue;
    private final String deviceName;
    private final ProgramBinaries binaries;

    /** @param binaries null to always compile (nothing read or written) */
    ProgramLoader(ClQueue queue, String deviceName, ProgramBinaries binaries) {
        this.queue = queue;
        this.deviceName = deviceName;
        this.binaries = binaries;
    }

    /**
     * The program for {@code source} built with {@code options}.
     *
     * @throws KernelBuildException when the source does not build, or a fault is injected (at the binary's load or
     *                              the compile, whichever this call reaches: each counts as one build)
     */
    Loaded load(String sourceName, String source, String options) {
        if (binaries == null) {
            return new Loaded(ClProgram.build(queue, sourceName, source, options, deviceName), Origin.BUILT);
        }
        String key = binaries.key(sourceName, source, options);
        byte[] binary = binaries.read(key);
        if (binary != null) {
            try {
                return new Loaded(ClProgram.fromBinary(queue, sourceName, binary, options, deviceName),
                        Origin.LOADED);
            } catch (KernelBuildException refusal) {
                if (refusal.getCause() instanceof InjectedFault) {
                    throw refusal;   // a planned build failure: compiling instead would hide it
                }
                queue.checkUsable();   // a lost device is not cured by compiling: say so at once
                binaries.rejected(key, refusal);
            }
        }
        ClProgram program = ClProgram.build(queue, sourceName, source, options, deviceName);
        binaries.store(key, program);
        return new Loaded(program, Origin.BUILT);
    }
}
