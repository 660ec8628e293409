package dev.jconv.backend.java;

import dev.jconv.Conv2dAlgorithm;
import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.ChannelAffineGeometry;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.Optional;

/**
 * The pure-Java backend: always available, the reference the other backends are checked against, and the fallback
 * when no OpenCL device exists. Ops run synchronously on the heap.
 */
public final class JavaBackend implements Backend {

    private final ParallelRunner runner;
    private final MicroKernel kernel;
    private final DeviceInfo info;

    public JavaBackend() {
        int cores = Runtime.getRuntime().availableProcessors();
        this.runner = new ParallelRunner(cores);
        this.kernel = MicroKernels.selected();
        this.info = new DeviceInfo(
                "java",
                "Java (" + System.getProperty("java.vm.name") + " " + Runtime.version() + ", " + kernel.name()
                        + " kernel)",
                System.getProperty("java.vendor"),
                "JVM",
                DeviceType.JAVA,
                cores,
                Runtime.getRuntime().maxMemory(),
                Integer.MAX_VALUE * 4L,
                Runtime.version().toString());
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /** The micro-kernel in use: {@code portable}, or the Vector API with its vector width. */
    public static String kernelDescription() {
        return MicroKernels.selection().description();
    }

    /**
     * What would turn on the faster Vector API kernel in this JVM (a JVM flag), if anything on its command line would.
     */
    public static Optional<String> fasterKernelFix() {
        return Optional.ofNullable(MicroKernels.selection().howToEnableFaster());
    }

    @Override
    public HostBuffer allocate(long floats) {
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("buffer of " + floats + " floats is larger than a Java array can hold");
        }
        return new HostBuffer(new float[(int) floats]);
    }

    @Override
    public HostBuffer upload(float[] data) {
        return new HostBuffer(data.clone());
    }

    /** Wraps an array without copying; the caller hands over ownership of {@code data}. */
    public HostBuffer wrap(float[] data) {
        return new HostBuffer(data);
    }

    @Override
    public void download(DeviceBuffer source, float[] destination) {
        System.arraycopy(array(source), 0, destination, 0, destination.length);
    }

    @Override
    public void conv2d(Conv2dGeometry geometry, OpBuffers buffers) {
        if (geometry.algorithm() == Conv2dAlgorithm.WINOGRAD) {
            WinogradConv2d.run(geometry, operands(buffers), kernel, runner);
        } else {
            JavaConv2d.run(geometry, operands(buffers), kernel, runner, BMatrixSource.AUTO);
        }
    }

    @Override
    public void convTranspose2d(ConvTranspose2dGeometry geometry, OpBuffers buffers) {
        JavaConvTranspose2d.run(geometry, operands(buffers), kernel, runner, BMatrixSource.AUTO);
    }

    @Override
    public void channelAffine(ChannelAffineGeometry geometry, OpBuffers buffers) {
        JavaChannelAffine.run(
                geometry,
                array(buffers.input()),
                arrayOrNull(buffers.weight()),
                arrayOrNull(buffers.bias()),
                written(buffers.output()),
                runner);
    }

    private static Operands operands(OpBuffers buffers) {
        return new Operands(
                array(buffers.input()),
                array(buffers.weight()),
                arrayOrNull(buffers.bias()),
                written(buffers.output()),
                (HostBuffer) buffers.weight());
    }

    /** The heap array behind an op's output, whose values derived from its old contents are dropped first. */
    private static float[] written(DeviceBuffer buffer) {
        float[] data = array(buffer);
        ((HostBuffer) buffer).contentsChanging();
        return data;
    }

    /** The heap array behind one of this backend's buffers. */
    private static float[] array(DeviceBuffer buffer) {
        if (buffer instanceof HostBuffer hostBuffer) {
            return hostBuffer.data();
        }
        throw new IllegalArgumentException("the Java backend was given a buffer of another backend: " + buffer);
    }

    /** As {@link #array}, for the buffers an op may go without (bias, scale, shift): null stays null. */
    private static float[] arrayOrNull(DeviceBuffer buffer) {
        return buffer == null ? null : array(buffer);
    }

    @Override
    public void finish() {
        // Java ops complete before they return.
    }

    /** Always 0: Java buffers are heap arrays that the garbage collector reclaims, so none can leak. */
    @Override
    public long liveBuffers() {
        return 0;
    }

    @Override
    public void close() {
        // The Java backend is shared for the life of the JVM; its pool threads are daemons.
    }
}
