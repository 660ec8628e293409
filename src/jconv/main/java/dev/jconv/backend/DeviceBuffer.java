package dev.jconv.backend;

/**
 * A float32 array that lives where one backend computes: a Java array for the Java backend, a {@code cl_mem} for
 * OpenCL. Exactly one owner closes it; closing twice is harmless.
 */
public interface DeviceBuffer extends AutoCloseable {

    /** Capacity in floats. */
    long length();

    boolean isClosed();

    /** Releases the memory; idempotent. */
    @Override
    void close();
}
