package dev.jconv;

import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.geometry.Shapes;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What Conv2d and ConvTranspose2d share (usable as their common type): weight and bias held on the host and uploaded once per device, and the one
 * way an op runs: where the input lives, or on the module's device for a host input, which then comes back as a host
 * tensor. Safe to share between threads: forwards run concurrently under a read lock, while setting parameters or
 * closing takes the write lock, so no op ever sees a released or half-replaced weight. {@link #close()} frees the
 * uploaded parameters and is idempotent.
 */
public abstract class ConvModule implements AutoCloseable {

    /** One op on one backend, with the buffers {@link #execute} prepared. */
    @FunctionalInterface
    interface Launch {
        void run(Backend backend, DeviceBuffer input, DeviceBuffer weight, DeviceBuffer bias, DeviceBuffer output);
    }

    /** Where host inputs run; null until first needed, then {@link Device#auto()}, unless set by {@link #to}. */
    private volatile Device device;
    private final int[] weightShape;
    private final int outChannels;
    private final boolean hasBias;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private float[] weight;
    private float[] bias;
    /** Parameters uploaded per device: {weight, bias-or-null}. Rebuilt lazily after a set; guarded by itself. */
    private final Map<Device, DeviceBuffer[]> uploaded = new IdentityHashMap<>();
    private volatile boolean closed;

    ConvModule(Device device, int[] weightShape, int outChannels, boolean hasBias, int fanIn) {
        this.device = device;
        this.weightShape = weightShape;
        this.outChannels = outChannels;
        this.hasBias = hasBias;
        // PyTorch's reset_parameters: kaiming_uniform_(a=sqrt(5)) and the bias rule both come to U(-1/sqrt(fan_in), +).
        double bound = 1.0 / Math.sqrt(fanIn);
        SplittableRandom random = new SplittableRandom();
        this.weight = uniform(random, Shapes.elementCount(weightShape), bound);
        this.bias = hasBias ? uniform(random, outChannels, bound) : null;
    }

    private static float[] uniform(SplittableRandom random, int count, double bound) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    /** The device that runs host inputs: the one given to {@link #to}, else {@link Device#auto()}. */
    public Device device() {
        Device chosen = device;
        if (chosen == null) {
            chosen = Device.auto();
            device = chosen;
        }
        return chosen;
    }

    /**
     * Runs host inputs on {@code target} from now on, like PyTorch's {@code module.to(device)}; parameters are uploaded
     * there on first use. Inputs that already live on a device still run where they live.
     */
    public ConvModule to(Device target) {
        device = Objects.requireNonNull(target, "device");
        return this;
    }

    /** A host copy of the weight, in PyTorch's layout. */
    public Tensor weight() {
        lock.readLock().lock();
        try {
            return Tensor.of(weight, weightShape);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A host copy of the bias, or null when built with bias=false. */
    public Tensor bias() {
        lock.readLock().lock();
        try {
            return bias == null ? null : Tensor.of(bias, outChannels);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Replaces the weight (copied; the tensor may live on any device).
     *
     * @throws IllegalArgumentException when the shape is not the module's weight shape
     */
    public void setWeight(Tensor newWeight) {
        Objects.requireNonNull(newWeight, "weight");
        if (!java.util.Arrays.equals(newWeight.shape(), weightShape)) {
            throw new IllegalArgumentException("weight of " + this + " must have shape " + Shapes.format(weightShape)
                    + ", but got " + Shapes.format(newWeight.shape()));
        }
        float[] values = newWeight.toArray();
        replaceParameters(() -> weight = values);
    }

    /**
     * Replaces the bias (copied).
     *
     * @throws IllegalArgumentException when the module has no bias or the shape is not [out_channels]
     */
    public void setBias(Tensor newBias) {
        Objects.requireNonNull(newBias, "bias");
        if (!hasBias) {
            throw new IllegalArgumentException(this + " was built with bias=False, so it has no bias to set");
        }
        if (newBias.dim() != 1 || newBias.size(0) != outChannels) {
            throw new IllegalArgumentException("bias of " + this + " must have shape [" + outChannels + "], but got "
                    + Shapes.format(newBias.shape()));
        }
        float[] values = newBias.toArray();
        replaceParameters(() -> bias = values);
    }

    /**
     * Runs one op: on the input's device when it lives on one (the result stays there), else on this module's device
     * with one upload and one download (the result is a host tensor). On failure no output tensor is returned and
     * every temporary is released.
     */
    final Tensor execute(Tensor input, int[] outputShape, Launch launch) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return executeLocked(input, outputShape, launch);
        } finally {
            lock.readLock().unlock();
        }
    }

    private Tensor executeLocked(Tensor input, int[] outputShape, Launch launch) {
        Device target = input.isHost() ? device() : input.device();
        Backend backend = target.backend();
        int outputElements = Shapes.elementCount(outputShape);
        DeviceBuffer[] parameters = parametersOn(target);
        if (input.device() == target) {
            DeviceBuffer output = backend.allocate(outputElements);
            try {
                if (outputElements > 0) {
                    launch.run(backend, input.buffer(), parameters[0], parameters[1], output);
                }
            } catch (RuntimeException | Error e) {
                output.close();
                throw e;
            }
            return new Tensor(target, output, outputShape);
        }
        float[] result = new float[outputElements];
        try (DeviceBuffer deviceInput = backend.upload(input.hostData());
             DeviceBuffer output = backend.allocate(outputElements)) {
            if (outputElements > 0) {
                launch.run(backend, deviceInput, parameters[0], parameters[1], output);
                backend.download(output, result);
            }
        }
        return Tensor.host(result, outputShape);
    }

    /** The parameters on {@code target}, uploaded on first use. Called under the read lock. */
    private DeviceBuffer[] parametersOn(Device target) {
        synchronized (uploaded) {
            return uploaded.computeIfAbsent(target, this::upload);
        }
    }

    private DeviceBuffer[] upload(Device target) {
        Backend backend = target.backend();
        DeviceBuffer weightBuffer = backend.upload(weight);
        try {
            return new DeviceBuffer[] {weightBuffer, bias == null ? null : backend.upload(bias)};
        } catch (RuntimeException e) {
            weightBuffer.close();
            throw e;
        }
    }

    private void replaceParameters(Runnable change) {
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
            for (DeviceBuffer buffer : buffers) {
                if (buffer != null) {
                    buffer.close();
                }
            }
        }
        uploaded.clear();
    }

    private void ensureOpen() {
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
