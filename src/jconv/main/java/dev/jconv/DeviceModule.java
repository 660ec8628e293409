package dev.jconv;

import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * What every layer with parameters shares: host parameters uploaded once per device, and the one way an op runs:
 * where the input lives, or on the layer's device for a host input, which then comes back as a host tensor. Safe to
 * share between threads: forwards run concurrently under a read lock, while replacing parameters or closing takes the
 * write lock, so no op ever sees a released or half-replaced parameter.
 */
public abstract class DeviceModule<M extends DeviceModule<M>> implements Layer {

    /**
     * One op on one backend, with the buffers {@link #execute} prepared, for the first {@code images} images of the
     * batch: the whole batch, or a slice when the batch does not fit the device at once.
     */
    @FunctionalInterface
    interface BackendCall {
        void run(Backend backend, int images, OpBuffers buffers);
    }

    private final HostInputDevice device;
    final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Parameters uploaded per device: {first, second-or-null}. Rebuilt lazily after a change; guarded by itself. */
    private final Map<Device, DeviceBuffer[]> uploaded = new IdentityHashMap<>();

    private volatile boolean closed;

    DeviceModule(Device device) {
        this.device = new HostInputDevice(device);
    }

    /** The host parameters an op needs, in the order its launch takes them (null for one it lacks). */
    abstract float[][] hostParameters();

    /** The device that runs host inputs: the one given to {@link #to}, else {@link Device#auto()}. */
    public Device device() {
        return device.get();
    }

    /** Where host inputs run, without choosing one: null until {@link #to} or the first host forward. */
    Device configuredDevice() {
        return device.configured();
    }

    /**
     * Runs host inputs on {@code target} from now on, like PyTorch's {@code module.to(device)}; parameters are uploaded
     * there on first use. Inputs that already live on a device still run where they live.
     */
    @Override
    public M to(Device target) {
        device.set(target);
        return self();
    }

    /** This module as its own type, so {@link #to} chains on a Conv2d as a Conv2d. */
    @SuppressWarnings("unchecked")
    private M self() {
        return (M) this;
    }

    /**
     * Builds what {@link #forward} needs for an input of {@code inputShape} on {@link #device()}, without running
     * anything (see {@link Layer#prepare(Device, int...)}); a server calls it at start-up for the shapes it expects.
     *
     * @return the shape forward gives for that input
     * @throws IllegalArgumentException with PyTorch's message when the input does not fit
     */
    public int[] prepare(int... inputShape) {
        return prepare(device(), inputShape);
    }

    @Override
    public int[] prepare(Device target, int... inputShape) {
        return build(target, preparation(inputShape));
    }

    /**
     * What {@link #prepare} builds for one input: the output shape forward would give, and the backend's build of the
     * op's kernel for that call.
     */
    record Preparation(int[] outputShape, Consumer<Backend> build) {}

    /**
     * The preparation of a call on {@code inputShape}, validated as forward validates it.
     *
     * @throws IllegalArgumentException with PyTorch's message when the input does not fit
     */
    abstract Preparation preparation(int[] inputShape);

    /** Builds {@code preparation} on {@code target}'s backend; its output shape. */
    final int[] build(Device target, Preparation preparation) {
        Objects.requireNonNull(target, "device");
        ensureOpen();
        preparation.build().accept(target.backend());
        return preparation.outputShape();
    }

    /**
     * Runs one op: on the input's device when it lives on one (the result stays there), else on this module's device
     * with one upload and one download per slice (the result is a host tensor). On failure no output tensor is
     * returned and every temporary is released.
     *
     * @param batch the input's batch size (1 when unbatched); a host input too large for the device runs in slices
     */
    final Tensor execute(Tensor input, int batch, int[] outputShape, BackendCall launch) {
        lock.readLock().lock();
        try {
            ensureOpen();
            Device target = input.isHost() ? device() : input.device();
            return OpExecution.run(target, input, batch, outputShape, parametersOn(target), launch);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The parameters on {@code target}, uploaded on first use. Called under the read lock. */
    private DeviceBuffer[] parametersOn(Device target) {
        synchronized (uploaded) {
            return uploaded.computeIfAbsent(target, this::upload);
        }
    }

    private DeviceBuffer[] upload(Device target) {
        Backend backend = target.backend();
        float[][] parameters = hostParameters();
        DeviceBuffer[] buffers = new DeviceBuffer[parameters.length];
        try {
            for (int i = 0; i < parameters.length; i++) {
                buffers[i] = parameters[i] == null ? null : backend.upload(parameters[i]);
            }
            return buffers;
        } catch (RuntimeException e) {
            release(buffers);
            throw e;
        }
    }

    /** Applies {@code change} to the host parameters under the write lock and drops every device copy. */
    final void replaceParameters(Runnable change) {
        lock.writeLock().lock();
        try {
            ensureOpen();
            change.run();
            releaseUploads();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Called under the write lock, so no op is using the buffers. */
    private void releaseUploads() {
        for (DeviceBuffer[] buffers : uploaded.values()) {
            release(buffers);
        }
        uploaded.clear();
    }

    private static void release(DeviceBuffer[] buffers) {
        for (DeviceBuffer buffer : buffers) {
            if (buffer != null) {
                buffer.close();
            }
        }
    }

    final void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " was used after close()");
        }
    }

    /** Frees the parameters uploaded to devices; idempotent. The module cannot run afterwards. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                releaseUploads();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
