package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;

import dev.jconv.Conv2dAlgorithm;
import dev.jconv.DeviceInfo;
import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.ChannelAffineGeometry;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_mem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenCL backend: one device, one in-order queue, programs specialised per geometry and cached. Ops are only
 * enqueued; {@link #download} and {@link #finish} are the points that wait, so chains of layers on device-resident
 * tensors run without host round trips.
 *
 * <p>Kernel timing: opened with profiling (see {@link OpenClDevices#PROFILE_PROPERTY}), the queue records an event per
 * kernel and {@link #kernelNanos()} returns the summed device time of the kernels completed so far; otherwise it
 * returns -1. Events are released as they are read.
 *
 * <p>Closing releases every buffer still alive (their tensors then report closed), the programs, the queue and the
 * context; closing twice is harmless.
 */
final class OpenClBackend implements Backend {

    private static final Logger LOG = LoggerFactory.getLogger(OpenClBackend.class);
    /** Enough for the temporaries of a few chained layers; bigger sets of sizes just fall back to creating. */
    private static final int POOLED_BUFFERS = 16;

    private static final long POOLED_BYTES = 256L << 20;

    private final DeviceInfo info;
    private final Tuning tuning;
    private final KernelSelector selector;
    private final ClQueue queue;
    private final ProgramBinaries binaries;
    private final BinaryWriter binaryWriter;
    private final ProgramCache programs;
    /** Replaced only by tests ({@link #limitWorkGroupsForTests}). */
    private volatile KernelFallback fallback;

    private final LaunchPlans plans = new LaunchPlans();
    private final MemoryBudget memory;
    private final KernelTimer timer;
    private final Set<ClBuffer> liveBuffers = ConcurrentHashMap.newKeySet();
    /** Closed outputs' cl_mem for the next op of the same size: no clCreateBuffer and no fresh pages per op. */
    private final BufferPool pool = new BufferPool(new BufferPool.Limits(POOLED_BUFFERS, POOLED_BYTES));
    /** Weights re-laid for the channel-vector kernels, once per weight buffer. */
    private final ChannelVectorWeights channelVectorWeights =
            new ChannelVectorWeights(floats -> createBuffer(floats, null), this::enqueue);
    /** Whether the log has said, once, that this device runs a Winograd module's convolutions exactly. */
    private final AtomicBoolean saidAlgorithmIsExact = new AtomicBoolean();

    private volatile boolean closed;

    OpenClBackend(DeviceHandle handle, boolean profiling) {
        this(handle, profiling, CacheDirectory.path());
    }

    /** A backend keeping its tuning file and program binaries in {@code cacheDirectory}; tests give their own. */
    OpenClBackend(DeviceHandle handle, boolean profiling, Path cacheDirectory) {
        Faults.readSettings();
        this.info = handle.info();
        this.tuning = Tuning.forDevice(info);
        this.selector = new KernelSelector(info, DeviceLimits.of(handle.device()), cacheDirectory);
        // Settings first: a malformed one throws before the context exists, so nothing is left unreleased.
        int programCapacity = ProgramCache.configuredCapacity();
        this.binaries = ProgramBinaries.enabled()
                ? new ProgramBinaries(cacheDirectory, ProgramBinaries.identity(handle))
                : null;
        this.queue = new ClQueue(handle, profiling);
        this.binaryWriter = new BinaryWriter(binaries, queue, info.id());
        this.programs = new ProgramCache(
                new ProgramLoader(queue, info.summary(), binaries, binaryWriter, DriverWorkarounds.buildOptions(info))
                        ::load,
                programCapacity,
                info.summary());
        this.fallback = new KernelFallback(selector, programs, info, kernel -> kernel.workGroupLimit(handle.device()));
        this.memory = new MemoryBudget(info);
        this.timer = profiling ? new KernelTimer() : null;
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public DeviceBuffer allocate(long floats) {
        return createBuffer(floats, null);
    }

    @Override
    public DeviceBuffer upload(float[] data) {
        return createBuffer(data.length, data);
    }

    private ClBuffer createBuffer(long floats, float[] contents) {
        ensureOpen();
        if (floats < 0) {
            throw new IllegalArgumentException("buffer size must not be negative, but got " + floats + " floats");
        }
        long bytes = ClBuffer.allocationBytes(floats);
        memory.reserve(bytes);
        cl_mem handle;
        try {
            handle = pool.take(bytes);
            if (handle == null) {
                handle = newMemory(floats, bytes);
            }
        } catch (RuntimeException e) {
            memory.release(bytes);
            throw e;
        }
        ClBuffer buffer = new ClBuffer(handle, floats, bytes, this::released);
        liveBuffers.add(buffer);
        if (contents != null && contents.length > 0) {
            try {
                copyBlocking(CL::clEnqueueWriteBuffer, FaultPoint.WRITE, handle, contents);
            } catch (CLException e) {
                buffer.close();
                throw queue.failure(e, "uploading " + floats + " floats to " + info.summary());
            } catch (RuntimeException e) { // the device was found lost meanwhile
                buffer.close();
                throw e;
            }
        }
        return buffer;
    }

    /** A new cl_mem from the driver, which may refuse it. */
    private cl_mem newMemory(long floats, long bytes) {
        try {
            // An injected refusal stands for one that emptying the pool would not cure either, so it skips the retry.
            Faults.check(FaultPoint.ALLOC);
            try {
                return clCreateBuffer(queue.context(), CL_MEM_READ_WRITE, bytes, null, null);
            } catch (CLException first) {
                // Pooled buffers may hold the memory this one needs: give them back and try once more.
                pool.drain();
                return clCreateBuffer(queue.context(), CL_MEM_READ_WRITE, bytes, null, null);
            }
        } catch (CLException e) {
            throw queue.failure(
                    e, "allocating a buffer of " + floats + " floats (" + bytes + " bytes) on " + info.summary());
        }
    }

    private void released(ClBuffer buffer) {
        channelVectorWeights.forget(buffer);
        liveBuffers.remove(buffer);
        memory.release(buffer.bytes());
        pool.give(buffer.releasedMemory(), buffer.bytes());
    }

    @Override
    public void download(DeviceBuffer source, float[] destination) {
        ClBuffer buffer = own(source, "download source");
        if (destination.length > buffer.length()) {
            throw new IllegalArgumentException(
                    "cannot download " + destination.length + " floats from a buffer of " + buffer.length());
        }
        if (destination.length == 0) {
            return;
        }
        try {
            copyBlocking(CL::clEnqueueReadBuffer, FaultPoint.READ, buffer.memory(), destination);
        } catch (CLException e) {
            throw queue.failure(e, "reading " + destination.length + " floats back from " + info.summary());
        }
    }

    /** {@code clEnqueueWriteBuffer} or {@code clEnqueueReadBuffer}, which take the same arguments. */
    private interface Transfer {
        int enqueue(
                cl_command_queue queue,
                cl_mem memory,
                boolean blocking,
                long offset,
                long bytes,
                Pointer host,
                int waitCount,
                cl_event[] waitList,
                cl_event event);
    }

    /**
     * Copies the whole of {@code array} to or from the data of {@code memory}, which starts after its guard floats.
     * Blocking: JOCL may only use a Java array for the duration of the call.
     */
    private void copyBlocking(Transfer transfer, FaultPoint point, cl_mem memory, float[] array) {
        Faults.check(point);
        transfer.enqueue(
                queue.queue(),
                memory,
                CL_TRUE,
                ClBuffer.DATA_OFFSET_BYTES,
                (long) array.length * Sizeof.cl_float,
                Pointer.to(array),
                0,
                null,
                null);
    }

    @Override
    public void conv2d(Conv2dGeometry geometry, OpBuffers buffers) {
        checkLengths(geometry, buffers);
        if (geometry.algorithm() != Conv2dAlgorithm.EXACT && !saidAlgorithmIsExact.getAndSet(true)) {
            LOG.info(
                    "conv2d algorithm {} runs on the Java backend only; {} runs the exact kernels instead",
                    geometry.algorithm(),
                    info().id());
        }
        run(plan(geometry), buffers, geometry::describe);
    }

    /** The launch the kernel choice gives for {@code geometry}, its program built (or its replacement's). */
    private KernelLaunch plan(ConvGeometry geometry) {
        return fallback.launch(
                TuningKey.of(geometry),
                geometry,
                choice -> plans.get(choice, geometry, () -> choice.launch(geometry, tuning)));
    }

    @Override
    public void prepare(Conv2dGeometry geometry) {
        ensureOpen();
        prepare(plan(geometry));
    }

    @Override
    public void prepare(ConvTranspose2dGeometry geometry) {
        ensureOpen();
        prepare(plan(geometry));
    }

    @Override
    public void prepare(ChannelAffineGeometry geometry) {
        ensureOpen();
        prepare(ChannelAffinePlan.of(geometry));
    }

    /** Builds the launch's program and creates its kernel, as its first run would; an empty op needs neither. */
    private void prepare(KernelLaunch launch) {
        if (launch.runsNothing()) {
            return;
        }
        programs.prepare(launch.sourceName(), launch.options(), launch.kernelName());
        if (launch.weightBlocks() != null) {
            KernelLaunch relayout = ChannelVectorWeights.relayout(launch.weightBlocks());
            programs.prepare(relayout.sourceName(), relayout.options(), relayout.kernelName());
        }
    }

    @Override
    public void convTranspose2d(ConvTranspose2dGeometry geometry, OpBuffers buffers) {
        checkLengths(geometry, buffers);
        run(plan(geometry), buffers, geometry::describe);
    }

    /** Checks either convolution's buffers against its geometry; before its plan, so a short buffer builds nothing. */
    private static void checkLengths(ConvGeometry geometry, OpBuffers buffers) {
        checkLength(buffers.input(), geometry.inputElements(), "input", geometry::describe);
        checkLength(buffers.weight(), geometry.weightElements(), "weight", geometry::describe);
        checkLength(buffers.output(), geometry.outputElements(), "output", geometry::describe);
    }

    @Override
    public void channelAffine(ChannelAffineGeometry geometry, OpBuffers buffers) {
        DeviceBuffer input = buffers.input();
        checkLength(input, geometry.elements(), "input", geometry::describe);
        checkLength(buffers.output(), geometry.elements(), "output", geometry::describe);
        if (geometry.affine()) {
            checkLength(buffers.weight(), geometry.channels(), "scale", geometry::describe);
            checkLength(buffers.bias(), geometry.channels(), "shift", geometry::describe);
            run(ChannelAffinePlan.of(geometry), buffers, geometry::describe);
        } else {
            // Without the affine step the kernel never reads scale and shift; the input stands in for both.
            run(
                    ChannelAffinePlan.of(geometry),
                    new OpBuffers(input, input, input, buffers.output()),
                    geometry::describe);
        }
    }

    /**
     * Enqueues one op's kernel; a geometry with no outputs runs nothing. The description is built only for a log line
     * or an error: every forward call passes here.
     */
    private void run(KernelLaunch launch, OpBuffers buffers, Supplier<String> description) {
        ensureOpen();
        if (launch.runsNothing()) {
            return;
        }
        ClBuffer weightBuffer = own(buffers.weight(), "weight");
        // A kernel built without bias never reads its bias argument, but OpenCL wants a valid buffer there.
        ClBuffer biasBuffer = buffers.bias() == null ? weightBuffer : own(buffers.bias(), "bias");
        if (launch.weightBlocks() != null) {
            weightBuffer = channelVectorWeights.of(weightBuffer, launch.weightBlocks());
        }
        ClBuffer outputBuffer = own(buffers.output(), "output");
        outputBuffer.markWritten();
        enqueue(
                launch,
                new ClBuffer[] {own(buffers.input(), "input"), weightBuffer, biasBuffer, outputBuffer},
                description);
    }

    private void enqueue(KernelLaunch launch, ClBuffer[] arguments, String description) {
        enqueue(launch, arguments, () -> description);
    }

    /** Enqueues {@code launch} on {@code arguments}, then its int arguments. */
    private void enqueue(KernelLaunch launch, ClBuffer[] arguments, Supplier<String> description) {
        // One line per launch at DEBUG: which sub-kernel a shape reached (ci/oclgrind.sh checks its coverage).
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "{} on {}: launching {} of {}, global {}, local {}",
                    description.get(),
                    info.id(),
                    launch.kernelName(),
                    launch.sourceName(),
                    Arrays.toString(launch.global()),
                    Arrays.toString(launch.local()));
        }
        // The lease keeps the program, and so the kernel, alive until the enqueue has returned (see ProgramCache).
        try (ProgramCache.Lease lease = programs.acquire(launch.sourceName(), launch.options())) {
            lease.program()
                    .kernel(launch.kernelName())
                    .enqueue(
                            queue,
                            arguments,
                            launch.scalarArguments(),
                            launch.localFloats(),
                            launch.global(),
                            launch.local(),
                            timer,
                            () -> description.get() + " on " + info.id());
        }
    }

    private static void checkLength(DeviceBuffer buffer, long needed, String role, Supplier<String> description) {
        if (buffer.length() < needed) {
            throw new IllegalArgumentException(role + " buffer holds " + buffer.length() + " floats but "
                    + description.get() + " needs " + needed);
        }
    }

    private ClBuffer own(DeviceBuffer buffer, String role) {
        if (buffer instanceof ClBuffer clBuffer && liveBuffers.contains(clBuffer)) {
            return clBuffer;
        }
        if (buffer instanceof ClBuffer clBuffer && clBuffer.isClosed()) {
            throw new IllegalStateException(role + " buffer was used after close()");
        }
        throw new IllegalArgumentException(role + " buffer does not belong to " + info.id() + ": " + buffer);
    }

    @Override
    public void finish() {
        ensureOpen();
        queue.finish();
    }

    @Override
    public long kernelNanos() {
        return timer == null ? -1 : timer.completedNanos();
    }

    @Override
    public long liveBuffers() {
        return memory.liveBuffers();
    }

    @Override
    public long deviceBytes() {
        return memory.liveBytes() + pool.counts().bytes();
    }

    /** Builds {@code source} as a program on this device; for tests that need a build to fail. */
    void buildProgram(String sourceName, String source, String options) {
        ensureOpen();
        programs.acquire(sourceName, source, options).close();
    }

    /** The device type's row of direct-kernel tiles; for the tuner. */
    Tuning tuning() {
        return tuning;
    }

    /** How this backend picks kernels; for the tuner. */
    KernelSelector selector() {
        return selector;
    }

    /** The pool of released buffers; for tests of reuse. */
    BufferPool pool() {
        return pool;
    }

    /** How this backend falls back when the driver refuses a kernel variant; for tests. */
    KernelFallback fallback() {
        return fallback;
    }

    /**
     * From now on, kernels have the work-group limits {@code limit} gives instead of the driver's, and nothing is
     * refused yet: PoCL and Oclgrind give every kernel the device's maximum, so only this shows the fallback working.
     */
    void limitWorkGroupsForTests(KernelFallback.WorkGroupLimit limit) {
        fallback = fallback.withWorkGroupLimit(limit);
    }

    /** Programs held in memory now; for tests of the cache. */
    int programCount() {
        return programs.size();
    }

    /** What the program cache has done so far; for tests and {@link ProgramCounts}. */
    ProgramCounts programCounts() {
        return programs.counts();
    }

    /** The context and queue; for tests that build programs themselves. */
    ClQueue queue() {
        return queue;
    }

    /** The programs this backend built; for tests that need one of its programs itself. */
    ProgramCache programs() {
        return programs;
    }

    /** Holds program-binary stores off until the handle is closed ({@link BinaryWriter#suspend}); for the tuner. */
    BinaryWriter.Suspension suspendBinaryStores() {
        return binaryWriter.suspend();
    }

    /** Waits until the binaries of the programs built so far are stored; for tests. */
    void awaitBinaryStores() {
        binaryWriter.awaitQueued();
    }

    /** Where this device's program binaries are kept (null when turned off); for tests and tools. */
    ProgramBinaries binaries() {
        return binaries;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("OpenCL device " + info.id() + " was used after close()");
        }
        queue.checkUsable();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        runCollecting(queue::finishUnlessLost, failures);
        for (ClBuffer buffer : List.copyOf(liveBuffers)) {
            runCollecting(buffer::close, failures);
        }
        runCollecting(pool::close, failures);
        if (timer != null) {
            runCollecting(timer::close, failures);
        }
        // Before the programs go: queued binary stores hold uses of theirs and finish (or are dropped) here.
        runCollecting(binaryWriter::close, failures);
        runCollecting(programs::close, failures);
        runCollecting(queue::close, failures);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** Runs one release step, keeping its failure so the remaining steps still release what they own. */
    private static void runCollecting(Runnable step, List<RuntimeException> failures) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    @Override
    public String toString() {
        return "OpenClBackend(" + info.summary() + (timer != null ? ", profiling" : "") + ")";
    }
}
