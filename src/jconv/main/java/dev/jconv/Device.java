package dev.jconv;

import dev.jconv.backend.Backend;

/**
 * One place where convolutions run: the Java backend, or one OpenCL device. Tensors live on a device; modules run
 * where their input lives. Get one from {@link #auto()}, {@link #java()} or {@link #select(String)}; the same
 * selection returns the same open device, so layers that share a device share its queue and memory.
 *
 * <p>Thread-safe. {@link #close()} releases the device's context and memory and is idempotent; a device used after
 * close throws {@link IllegalStateException}, and the next {@link #select} opens it afresh. The Java device lives as
 * long as the JVM and ignores close.
 */
public final class Device implements AutoCloseable {

    private final Backend backend;
    private volatile boolean closed;

    Device(Backend backend) {
        this.backend = backend;
    }

    /** The device chosen by {@code jconv.device} / {@code JCONV_DEVICE}, else the best one: GPU, other OpenCL, Java. */
    public static Device auto() {
        return Devices.preferred();
    }

    /**
     * The pure-Java backend, always available; host tensors live here. Asking for it is a choice of device: the first
     * choice in a JVM is reported in jconv's start-up line.
     */
    public static Device java() {
        return Devices.requestedJava();
    }

    /**
     * Opens a device by selection text: {@code auto}, {@code java}, {@code opencl} (the best OpenCL device) or
     * {@code opencl:N} (N as {@code jconv devices} lists it).
     *
     * @throws IllegalArgumentException for unknown text or an index that does not exist
     * @throws IllegalStateException    when OpenCL is asked for explicitly and cannot be used, with the reason
     */
    public static Device select(String selection) {
        return Devices.select(selection);
    }

    public DeviceInfo info() {
        return backend.info();
    }

    /** The selection id: {@code java} or {@code opencl:N}. */
    public String id() {
        return backend.info().id();
    }

    public boolean isJava() {
        return backend.info().type() == DeviceType.JAVA;
    }

    /** The backend behind this device; for jconv's own layers and tools. */
    public Backend backend() {
        if (closed) {
            throw new IllegalStateException("device " + id() + " was used after close()");
        }
        return backend;
    }

    /** Blocks until every op queued on this device has finished (ops on one device already run in order). */
    public void synchronize() {
        backend().finish();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (isJava()) {
            return;
        }
        synchronized (this) {
            if (!closed) {
                closed = true;
                backend.close();
            }
        }
    }

    @Override
    public String toString() {
        return backend.info().summary();
    }
}
