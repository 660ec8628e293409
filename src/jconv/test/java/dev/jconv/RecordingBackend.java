package dev.jconv;

import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import dev.jconv.backend.java.JavaBackend;
import dev.jconv.geometry.ChannelAffineGeometry;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test device: the Java backend's arithmetic behind an "OpenCL-like" device with chosen memory limits, which counts
 * live buffers and launches and can be told to fail, so the module's data movement can be checked exactly.
 */
final class RecordingBackend implements Backend {

    private final JavaBackend arithmetic = new JavaBackend();
    private final DeviceInfo info;
    final AtomicInteger launches = new AtomicInteger();
    final AtomicInteger live = new AtomicInteger();
    final AtomicInteger uploads = new AtomicInteger();
    final AtomicInteger downloads = new AtomicInteger();
    volatile boolean failLaunches;

    RecordingBackend(long maxAllocationBytes, long globalMemoryBytes) {
        this.info = new DeviceInfo(
                "opencl:test",
                "recording test device",
                "jconv tests",
                "test",
                DeviceType.OTHER,
                1,
                globalMemoryBytes,
                maxAllocationBytes,
                "1");
    }

    static Device device(long maxAllocationBytes, long globalMemoryBytes) {
        return new Device(new RecordingBackend(maxAllocationBytes, globalMemoryBytes));
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /** A buffer of the Java backend, counted while it is open. */
    private final class CountedBuffer implements DeviceBuffer {
        private final DeviceBuffer inner;
        private boolean closed;

        CountedBuffer(DeviceBuffer inner) {
            this.inner = inner;
            live.incrementAndGet();
        }

        @Override
        public long length() {
            return inner.length();
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                live.decrementAndGet();
                inner.close();
            }
        }
    }

    private static DeviceBuffer inner(DeviceBuffer buffer) {
        return buffer == null ? null : ((CountedBuffer) buffer).inner;
    }

    @Override
    public DeviceBuffer allocate(long floats) {
        if (floats * Float.BYTES > info.maxAllocation()) {
            throw new IllegalStateException(
                    "test device: allocation of " + floats * Float.BYTES + " bytes exceeds " + info.maxAllocation());
        }
        return new CountedBuffer(arithmetic.allocate(floats));
    }

    @Override
    public DeviceBuffer upload(float[] data) {
        uploads.incrementAndGet();
        if ((long) data.length * Float.BYTES > info.maxAllocation()) {
            throw new IllegalStateException(
                    "test device: upload of " + data.length * 4L + " bytes exceeds " + info.maxAllocation());
        }
        return new CountedBuffer(arithmetic.upload(data));
    }

    @Override
    public void download(DeviceBuffer source, float[] destination) {
        downloads.incrementAndGet();
        arithmetic.download(inner(source), destination);
    }

    @Override
    public void conv2d(Conv2dGeometry geometry, OpBuffers buffers) {
        countLaunch();
        arithmetic.conv2d(geometry, inner(buffers));
    }

    @Override
    public void convTranspose2d(ConvTranspose2dGeometry geometry, OpBuffers buffers) {
        countLaunch();
        arithmetic.convTranspose2d(geometry, inner(buffers));
    }

    @Override
    public void channelAffine(ChannelAffineGeometry geometry, OpBuffers buffers) {
        countLaunch();
        arithmetic.channelAffine(geometry, inner(buffers));
    }

    private void countLaunch() {
        launches.incrementAndGet();
        if (failLaunches) {
            throw new IllegalStateException("injected launch failure");
        }
    }

    private OpBuffers inner(OpBuffers buffers) {
        return new OpBuffers(
                inner(buffers.input()), inner(buffers.weight()), inner(buffers.bias()), inner(buffers.output()));
    }

    @Override
    public void finish() {}

    @Override
    public long liveBuffers() {
        return live.get();
    }

    @Override
    public void close() {}
}
