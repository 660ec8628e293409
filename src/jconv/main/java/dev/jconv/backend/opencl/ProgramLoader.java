package dev.jconv.backend.opencl;

/**
 * Obtains one built program for a device: from the {@link ProgramBinaries} when they hold a usable binary, else by
 * compiling the source, whose binary the {@link BinaryWriter} then stores for the next process, off the caller's
 * path. Knows nothing of caching in memory; that is {@link ProgramCache}'s job.
 *
 * @param binaries      null to always compile (nothing read or written; {@code writer} is then unused)
 * @param deviceOptions build options every program on this device gets after its own (see {@link DriverWorkarounds})
 */
record ProgramLoader(
        ClQueue queue, String deviceName, ProgramBinaries binaries, BinaryWriter writer, String deviceOptions) {

    /** Where a program came from. */
    enum Origin {
        /** Compiled from source. */
        BUILT,
        /** Created from a binary an earlier build stored. */
        LOADED
    }

    /** A program and its origin. */
    record Loaded(ClProgram program, Origin origin) {}

    /**
     * The program for {@code source} built with {@code options}.
     *
     * @throws KernelBuildException when the source does not build, or a fault is injected (at the binary's load or
     *                              the compile, whichever this call reaches: each counts as one build)
     */
    Loaded load(String sourceName, String source, String options) {
        String allOptions = options + deviceOptions;
        if (binaries == null) {
            return compile(sourceName, source, allOptions);
        }
        writer.buildActivity();
        try {
            return loadOrCompile(sourceName, source, allOptions);
        } finally {
            writer.buildActivity();
        }
    }

    private Loaded compile(String sourceName, String source, String options) {
        return new Loaded(ClProgram.build(queue, sourceName, source, options, deviceName), Origin.BUILT);
    }

    private Loaded loadOrCompile(String sourceName, String source, String options) {
        String key = binaries.key(sourceName, source, options);
        byte[] binary = binaries.read(key);
        if (binary != null) {
            try {
                return new Loaded(ClProgram.fromBinary(queue, sourceName, binary, options, deviceName), Origin.LOADED);
            } catch (KernelBuildException refusal) {
                if (refusal.getCause() instanceof InjectedFault) {
                    throw refusal; // a planned build failure: compiling instead would hide it
                }
                queue.checkUsable(); // a lost device is not cured by compiling: say so at once
                binaries.rejected(key, refusal);
            }
        }
        Loaded built = compile(sourceName, source, options);
        writer.submit(key, built.program());
        return built;
    }
}
