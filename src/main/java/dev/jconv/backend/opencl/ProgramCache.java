package dev.jconv.backend.opencl;

import java.util.HashMap;
import java.util.Map;

/**
 * The programs built on one device, keyed by (source, build options): each specialisation is compiled once and
 * reused by every later call with the same defines. Owns and releases them.
 */
final class ProgramCache implements AutoCloseable {

    private record Key(String sourceName, String options) {
    }

    private final ClQueue queue;
    private final String deviceName;
    private final Map<Key, ClProgram> programs = new HashMap<>();
    private boolean closed;

    ProgramCache(ClQueue queue, String deviceName) {
        this.queue = queue;
        this.deviceName = deviceName;
    }

    /** The packaged source {@code sourceName} built with {@code options}; built on first request. */
    ClProgram program(String sourceName, String options) {
        return program(sourceName, KernelSources.load(sourceName), options);
    }

    /**
     * Builds (or reuses) a program from the given source text. Package-private so tests can hand in a broken source
     * and see the {@link KernelBuildException}.
     */
    synchronized ClProgram program(String sourceName, String source, String options) {
        if (closed) {
            throw new IllegalStateException("program cache of " + deviceName + " used after close()");
        }
        Key key = new Key(sourceName, options);
        ClProgram program = programs.get(key);
        if (program == null) {
            // Built under the lock: two threads asking for the same specialisation build it once.
            program = ClProgram.build(queue, sourceName, source, options, deviceName);
            programs.put(key, program);
        }
        return program;
    }

    synchronized int size() {
        return programs.size();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            programs.values().forEach(ClProgram::close);
            programs.clear();
        }
    }
}
