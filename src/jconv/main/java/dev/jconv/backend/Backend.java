package dev.jconv.backend;

import dev.jconv.DeviceInfo;
import dev.jconv.geometry.ChannelAffineGeometry;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;

/**
 * Where convolutions run. The only layer that knows where numbers live: modules hand it validated geometry and
 * buffers it made. A new op needs one method here and one implementation per backend.
 *
 * <p>Ops may be queued asynchronously (OpenCL's in-order queue): an op's result is ready for the next op on the same
 * backend at once, and for the host after {@link #download} or {@link #finish}. Implementations are safe to call
 * from several threads.
 */
public interface Backend extends AutoCloseable {

    DeviceInfo info();

    /** A new buffer of {@code floats} elements, contents undefined. */
    DeviceBuffer allocate(long floats);

    /** A new buffer holding a copy of {@code data}. */
    DeviceBuffer upload(float[] data);

    /** Copies the first {@code destination.length} floats of {@code source} to the host, after all queued work. */
    void download(DeviceBuffer source, float[] destination);

    /** Queues {@code output = conv2d(input, weight, bias)}; the bias is null when the geometry has none. */
    void conv2d(Conv2dGeometry geometry, OpBuffers buffers);

    /** Queues {@code output = conv_transpose2d(input, weight, bias)}, computed as a gather. */
    void convTranspose2d(ConvTranspose2dGeometry geometry, OpBuffers buffers);

    /**
     * Queues {@code output[i] = activation(input[i] * weight[c] + bias[c])}, c being element i's channel (the weight
     * is the per-channel scale, the bias the shift), or {@code activation(input[i])} when the geometry has no affine
     * step (weight and bias are then null).
     */
    void channelAffine(ChannelAffineGeometry geometry, OpBuffers buffers);

    /**
     * Builds ahead of time what {@link #conv2d} will need for {@code geometry} (on OpenCL: the program the kernel
     * choice picks, loaded from the binary cache or compiled), without running anything. The default does nothing,
     * which is right for a backend that compiles nothing (the Java backend).
     */
    default void prepare(Conv2dGeometry geometry) {}

    /** As {@link #prepare(Conv2dGeometry)}, for {@link #convTranspose2d}. */
    default void prepare(ConvTranspose2dGeometry geometry) {}

    /** As {@link #prepare(Conv2dGeometry)}, for {@link #channelAffine}. */
    default void prepare(ChannelAffineGeometry geometry) {}

    /** Blocks until every queued op has finished. */
    void finish();

    /**
     * Cumulative device time, in nanoseconds, of the kernels this backend has completed, as the driver's profiling
     * events measure it (kernel only: no enqueue, transfer or host overhead); -1 when the backend does not profile.
     * The OpenCL backend profiles when opened with {@code -Djconv.profile=true}.
     */
    default long kernelNanos() {
        return -1;
    }

    /** Buffers allocated and not yet closed; for leak tests and diagnostics. */
    long liveBuffers();

    /**
     * Bytes of device memory this backend holds: its live buffers and any released ones it keeps for reuse; for
     * diagnostics (the soak watches it stay flat). 0 for a backend whose buffers are Java arrays.
     */
    default long deviceBytes() {
        return 0;
    }

    /** Releases everything the backend owns; idempotent. */
    @Override
    void close();
}
