package dev.jconv;

import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.java.HostBuffer;
import dev.jconv.geometry.Shapes;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 tensor in NCHW (C order) layout, living on one {@link Device}. Host tensors live on {@link Device#java()}.
 * A tensor on an OpenCL device stays there between layers: {@code x.to(gpu)} once, several {@code forward} calls,
 * then {@link #toArray()} or {@link #cpu()} once.
 *
 * <p>Immutable in shape and contents. Device memory is freed when the tensor is garbage collected, or at once by
 * {@link #close()}, which is idempotent; a closed tensor throws {@link IllegalStateException} when used.
 */
public final class Tensor implements AutoCloseable {

    /** Frees the device memory of tensors that were dropped without close(), like a chained layer's intermediate. */
    private static final Cleaner DEVICE_MEMORY_CLEANER = Cleaner.create();

    private final int[] shape;
    private final Device device;
    private final DeviceBuffer buffer;
    /**
     * For a view made by {@link #to} onto a tensor already on the target, the tensor that owns the buffer (null when
     * this one owns it). Holding it keeps the owner reachable, so the garbage collector cannot free the memory under
     * a view that is still in use; closing the view frees nothing.
     */
    private final Tensor owner;

    private volatile boolean closed;

    Tensor(Device device, DeviceBuffer buffer, int[] shape) {
        this(device, buffer, shape, null);
    }

    private Tensor(Device device, DeviceBuffer buffer, int[] shape, Tensor owner) {
        this.device = device;
        this.buffer = buffer;
        this.shape = shape.clone();
        this.owner = owner;
        if (owner == null && !(buffer instanceof HostBuffer)) {
            DEVICE_MEMORY_CLEANER.register(this, buffer::close); // refers to the buffer only, never to this tensor
        }
    }

    /**
     * A host tensor holding a copy of {@code data}.
     *
     * @throws IllegalArgumentException when the data length does not match the shape
     */
    public static Tensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        int count = Shapes.elementCount(shape);
        if (data.length != count) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " elements but shape " + Shapes.format(shape) + " needs " + count);
        }
        return host(data.clone(), shape);
    }

    /** A host tensor of zeros. */
    public static Tensor zeros(int... shape) {
        Objects.requireNonNull(shape, "shape");
        return host(new float[Shapes.elementCount(shape)], shape);
    }

    /** Wraps {@code data} without copying; the caller must not change it afterwards. */
    static Tensor host(float[] data, int[] shape) {
        // Devices.javaDevice(), not Device.java(): making a host tensor is not a choice of device to report.
        Device host = Devices.javaDevice();
        return new Tensor(host, Devices.wrapHost(data), shape);
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    public int size(int dimension) {
        return shape[dimension];
    }

    public long numel() {
        long count = 1;
        for (int dim : shape) {
            count *= dim;
        }
        return count;
    }

    public Device device() {
        return device;
    }

    /** True when the numbers are in the JVM heap (the Java device). */
    public boolean isHost() {
        return device.isJava();
    }

    /**
     * This tensor on {@code target}: a copy (upload or download), or, when it already lives there, a view of the same
     * memory. Either way the result is the caller's to close, and closing a view leaves this tensor intact, so
     * {@code try (Tensor x = input.to(device)) { ... }} is always safe. A view keeps this tensor reachable, so the
     * memory stays while the view is in use even when nothing else refers to this tensor; {@link #close()} on this
     * tensor still frees it at once, and the view is then closed too.
     */
    public Tensor to(Device target) {
        Objects.requireNonNull(target, "device");
        DeviceBuffer source = buffer();
        if (target == device) {
            return new Tensor(device, buffer, shape, owner == null ? this : owner);
        }
        if (isHost()) {
            return new Tensor(target, target.backend().upload(((HostBuffer) source).data()), shape);
        }
        return host(toArray(), shape);
    }

    /** This tensor on the host, like PyTorch's {@code .cpu()}. */
    public Tensor cpu() {
        return to(Devices.javaDevice());
    }

    /** A copy of the contents in C order; waits for queued device work that produces them. */
    public float[] toArray() {
        DeviceBuffer source = buffer();
        if (source instanceof HostBuffer hostBuffer) {
            return hostBuffer.data().clone();
        }
        float[] result = new float[Math.toIntExact(numel())];
        device.backend().download(source, result);
        return result;
    }

    /** The storage, for modules and backends; fails on a closed tensor. */
    DeviceBuffer buffer() {
        if (isClosed()) {
            throw new IllegalStateException(
                    "tensor of shape " + Shapes.format(shape) + " on " + device.id() + " was used after close()");
        }
        return buffer;
    }

    /** The heap array of a host tensor, without a copy; for read-only use inside jconv. */
    float[] hostData() {
        return ((HostBuffer) buffer()).data();
    }

    public boolean isClosed() {
        return closed || buffer.isClosed();
    }

    /** Frees the device memory now (a view frees nothing); idempotent. */
    @Override
    public void close() {
        closed = true;
        if (owner == null) {
            buffer.close();
        }
    }

    @Override
    public String toString() {
        return "Tensor(shape=" + Arrays.toString(shape) + ", device=" + device.id() + ")";
    }
}
