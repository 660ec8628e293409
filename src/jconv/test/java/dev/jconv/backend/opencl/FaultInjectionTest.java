package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.Comparison;
import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.DeviceInfo;
import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.Tensor;
import dev.jconv.TestDevices;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.CommonConfig;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every fault point on the real OpenCL device, through the modules users call: the faulted call throws an
 * {@link OpenClException} naming the OpenCL error, the operation, the device and the sizes; it leaves no device
 * buffer behind; the next call gives the Java backend's result; the same with 8 threads sharing the modules. Also:
 * a lost device fails every later call at once until it is opened again, and a kernel that does not build falls back
 * to the other kernel family.
 *
 * <p>Faults are installed from the test ({@link Faults#install}), so each plan counts from the moment it is
 * installed; each test's modules have output channel counts no other test uses, so their programs are not built yet
 * (sizes are kernel arguments: a new image size alone builds nothing), and image sizes no other test uses, so no
 * pooled buffer has their sizes.
 */
class FaultInjectionTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 6;
    private static final double TOLERANCE = 1e-4;
    /** Image heights handed out once each (see the class comment); above what the other suites use. */
    private static final AtomicInteger FRESH_SIZE = new AtomicInteger(41);
    /** Output channel counts handed out once each, one per {@link Layers}: above what the other suites use. */
    private static final AtomicInteger FRESH_CHANNELS = new AtomicInteger(37);

    @AfterEach
    void turnFaultsOff() {
        Faults.clear();
    }

    private static int freshSize() {
        return FRESH_SIZE.getAndIncrement();
    }

    /** The status a point's fault returns by default, by name. */
    private static String defaultError(FaultPoint point) {
        return OpenClException.errorName(point.defaultStatus());
    }

    @ParameterizedTest
    @EnumSource(
            value = FaultPoint.class,
            names = {"ALLOC", "WRITE", "KERNEL", "READ", "FINISH"})
    void theFaultedCallFailsCleanlyAndTheNextCallIsRight(FaultPoint point) {
        Device device = TestDevices.openClOrSkip();
        OpenClBackend backend = (OpenClBackend) device.backend();
        try (Layers layers = new Layers(device)) {
            Call call = layers.conv(freshSize(), 1);
            call.runAndCheck(); // parameters uploaded, program built
            long buffers = backend.liveBuffers();
            backend.pool().drain(); // so the next allocation reaches the driver
            FaultPlan plan = Faults.install(point.word() + ":1");
            OpenClException failure = assertThrows(OpenClException.class, call::run);
            assertEquals(1, plan.fired(), "the planned fault was hit");
            assertEquals(defaultError(point), failure.errorName());
            String message = failure.getMessage();
            assertTrue(
                    message.contains(defaultError(point))
                            && message.contains("[injected fault " + point.word() + ":1:")
                            && message.contains(device.id()),
                    message);
            String operation = switch (point) {
                case ALLOC -> "allocating a buffer of " + call.input().numel() + " floats";
                case WRITE -> "uploading " + call.input().numel() + " floats";
                case KERNEL -> layers.conv.geometry(call.input().shape()).describe();
                case READ -> "reading " + call.expected().length + " floats back";
                case FINISH -> "(clFinish)";
                case BUILD -> throw new AssertionError("not a point of this test");
            };
            assertTrue(message.contains(operation), "expected '" + operation + "' in: " + message);
            assertEquals(buffers, backend.liveBuffers(), "live buffers after the failed call");
            call.runAndCheck();
            layers.transposed(freshSize(), 2).runAndCheck();
            assertEquals(1, plan.fired(), "only the N-th call fails");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = FaultPoint.class,
            names = {"ALLOC", "KERNEL"})
    void aFailedCallOnADeviceResidentInputReleasesItsOutput(FaultPoint point) {
        Device device = TestDevices.openClOrSkip();
        OpenClBackend backend = (OpenClBackend) device.backend();
        try (Layers layers = new Layers(device)) {
            Call call = layers.conv(freshSize(), 3);
            call.runAndCheck();
            try (Tensor input = call.input().to(device)) {
                long buffers = backend.liveBuffers();
                backend.pool().drain();
                FaultPlan plan = Faults.install(point.word() + ":1");
                OpenClException failure = assertThrows(OpenClException.class, () -> layers.conv.forward(input));
                assertEquals(1, plan.fired());
                assertEquals(defaultError(point), failure.errorName());
                assertEquals(buffers, backend.liveBuffers(), "the output of the failed call was released");
                try (Tensor output = layers.conv.forward(input)) {
                    Comparison.assertClose(call.expected(), output.toArray(), TOLERANCE, "the next call");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FaultPoint.class)
    void underEightThreadsOnlyTheFaultedCallFails(FaultPoint point) throws Exception {
        Device device = TestDevices.openClOrSkip();
        OpenClBackend backend = (OpenClBackend) device.backend();
        long buffersBefore = backend.liveBuffers();
        try (Layers layers = new Layers(device)) {
            int size = freshSize();
            Call[] calls = {
                layers.conv(size, 11), layers.transposed(size, 12), layers.conv(size, 13), layers.transposed(size, 14)
            };
            backend.pool().drain();
            // A build fault alone is absorbed by the fallback: no call may fail then, and every result is right.
            FaultPlan plan = Faults.install(point == FaultPoint.BUILD ? "build:1" : point.word() + ":3");
            Queue<OpenClException> failures = new ConcurrentLinkedQueue<>();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    int first = thread;
                    done.add(threads.submit(() -> {
                        for (int index = 0; index < CALLS_PER_THREAD; index++) {
                            try {
                                calls[(first + index) % calls.length].runAndCheck();
                            } catch (OpenClException e) {
                                failures.add(e);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(5, TimeUnit.MINUTES); // a hang fails the test instead of stalling the suite
                }
            } finally {
                threads.shutdownNow();
            }
            assertEquals(1, plan.fired(), "the planned fault was hit once");
            assertEquals(point == FaultPoint.BUILD ? 0 : 1, failures.size(), "calls that failed: " + failures);
            for (OpenClException failure : failures) {
                assertEquals(defaultError(point), failure.errorName());
                assertTrue(
                        failure.getMessage().contains("[injected fault " + point.word() + ":3:"), failure.getMessage());
            }
            for (Call call : calls) {
                call.runAndCheck();
            }
        }
        assertEquals(buffersBefore, backend.liveBuffers(), "live buffers once the modules are closed");
    }

    @Test
    void aRefusedKernelLeavesNoEventBehindOnAProfilingQueue() {
        DeviceInfo info = TestDevices.openClOrSkip().info();
        Conv2dGeometry geometry = Conv2dGeometry.of(
                new Conv2dConfig(
                        new CommonConfig(4, 8, IntPair.of(3), IntPair.of(1), IntPair.of(1), 1, true),
                        Padding.of(1),
                        PaddingMode.ZEROS),
                new int[] {1, 4, freshSize(), 12});
        try (OpenClBackend backend = (OpenClBackend) OpenClDevices.open(info, true);
                DeviceBuffer input = backend.upload(new float[(int) geometry.inputElements()]);
                DeviceBuffer weight = backend.upload(new float[(int) geometry.weightElements()]);
                DeviceBuffer bias = backend.upload(new float[geometry.outChannels()]);
                DeviceBuffer output = backend.allocate(geometry.outputElements())) {
            FaultPlan plan = Faults.install("kernel:1");
            assertThrows(
                    OpenClException.class, () -> backend.conv2d(geometry, new OpBuffers(input, weight, bias, output)));
            assertEquals(1, plan.fired());
            backend.finish();
            assertEquals(0, backend.kernelNanos(), "the refused kernel recorded no event");
            backend.conv2d(geometry, new OpBuffers(input, weight, bias, output));
            backend.finish();
            assertTrue(backend.kernelNanos() > 0, "the next kernel is timed");
        }
    }

    @Test
    void aKernelThatDoesNotBuildIsReplacedByTheOtherFamilyWithOneWarning() {
        Device device = TestDevices.openClOrSkip();
        OpenClBackend backend = (OpenClBackend) device.backend();
        try (CapturedWarnings warnings = new CapturedWarnings(KernelFallback.class);
                Layers layers = new Layers(device)) {
            Call call = layers.conv(freshSize(), 21);
            int refused = backend.fallback().refusedPrograms();
            FaultPlan plan = Faults.install("build:1");
            call.runAndCheck();
            assertEquals(1, plan.fired());
            assertEquals(refused + 1, backend.fallback().refusedPrograms());
            long builds = plan.calls(FaultPoint.BUILD);
            assertEquals(2, builds, "the refused build and its replacement");
            call.runAndCheck();
            assertEquals(builds, plan.calls(FaultPoint.BUILD), "later calls go straight to the replacement");
            List<String> messages = warnings.messages();
            assertEquals(1, messages.size(), "warnings: " + messages);
            String warning = messages.get(0);
            assertTrue(
                    warning.contains("did not build")
                            && warning.contains("CL_BUILD_PROGRAM_FAILURE")
                            && warning.contains("instead"),
                    warning);
        }
    }

    @Test
    void whenNeitherFamilyBuildsTheCallFailsAndNoProgramIsKept() {
        Device device = TestDevices.openClOrSkip();
        OpenClBackend backend = (OpenClBackend) device.backend();
        try (Layers layers = new Layers(device)) {
            layers.transposed(freshSize(), 31).runAndCheck(); // a first call: device buffers in use and pooled
            Call call = layers.conv(freshSize(), 32); // a new specialisation: a build
            // The failed call uploads the conv's parameters (kept, as after any call); nothing else may stay.
            long buffers = backend.liveBuffers() + 2;
            // Programs obtained, not held: the bounded cache may evict one when the suite has filled it.
            long programs = backend.programCounts().obtained();
            FaultPlan plan = Faults.install("build:1,build:2");
            KernelBuildException failure = assertThrows(KernelBuildException.class, call::run);
            assertEquals(2, plan.fired());
            assertEquals("CL_BUILD_PROGRAM_FAILURE", failure.errorName());
            assertTrue(
                    failure.getMessage().contains("[injected fault build:1:")
                            && failure.getMessage().contains(device.info().summary())
                            && failure.getMessage().contains("-D KH="),
                    failure.getMessage());
            assertEquals(1, failure.getSuppressed().length, "the replacement's failure rides along");
            assertTrue(failure.getSuppressed()[0].getMessage().contains("[injected fault build:2:"));
            assertEquals(programs, backend.programCounts().obtained(), "no half-built program is cached");
            assertEquals(buffers, backend.liveBuffers());
            call.runAndCheck();
            assertEquals(programs + 1, backend.programCounts().obtained());
        }
    }

    @Test
    void aForcedKernelThatDoesNotBuildIsNeverReplaced() {
        Device device = TestDevices.openClOrSkip();
        String previous = System.setProperty(KernelSelector.PROPERTY, "direct");
        try (Layers layers = new Layers(device)) {
            Call call = layers.conv(freshSize(), 41);
            FaultPlan plan = Faults.install("build:1");
            assertThrows(KernelBuildException.class, call::run);
            assertEquals(1, plan.calls(FaultPoint.BUILD), "no second family was tried");
            call.runAndCheck();
        } finally {
            if (previous == null) {
                System.clearProperty(KernelSelector.PROPERTY);
            } else {
                System.setProperty(KernelSelector.PROPERTY, previous);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "kernel, CL_INVALID_COMMAND_QUEUE",
        "finish, CL_DEVICE_NOT_AVAILABLE",
        "alloc, CL_INVALID_CONTEXT",
        "read, CL_DEVICE_NOT_AVAILABLE"
    })
    void aLostDeviceFailsEveryLaterCallAtOnceUntilItIsOpenedAgain(String point, String error) throws Exception {
        Device device = TestDevices.openClOrSkip();
        OpenClBackend backend = (OpenClBackend) device.backend();
        long buffersBefore = backend.liveBuffers();
        try {
            try (Layers layers = new Layers(device)) {
                Call call = layers.conv(freshSize(), 51);
                call.runAndCheck();
                backend.pool().drain();
                FaultPlan plan = Faults.install(point + ":1:" + error);
                DeviceLostException lost = assertThrows(DeviceLostException.class, call::run);
                assertEquals(error, lost.errorName());
                assertTrue(lost.getMessage().contains("the device is lost"), lost.getMessage());
                long[] reachedBefore = reached(plan);
                ExecutorService threads = Executors.newFixedThreadPool(THREADS);
                try {
                    List<Future<DeviceLostException>> later = new ArrayList<>();
                    for (int thread = 0; thread < THREADS; thread++) {
                        later.add(threads.submit(() -> assertThrows(DeviceLostException.class, call::run)));
                    }
                    for (Future<DeviceLostException> future : later) {
                        DeviceLostException failure = future.get(60, TimeUnit.SECONDS);
                        assertEquals(error, failure.errorName());
                        assertTrue(
                                failure.getMessage().contains(device.info().summary() + " is lost ("),
                                failure.getMessage());
                    }
                } finally {
                    threads.shutdownNow();
                }
                assertThrows(DeviceLostException.class, device::synchronize);
                assertThrows(DeviceLostException.class, () -> backend.allocate(16));
                assertEquals(
                        java.util.Arrays.toString(reachedBefore),
                        java.util.Arrays.toString(reached(plan)),
                        "no call reached the driver after the loss");
            }
            assertEquals(buffersBefore, backend.liveBuffers(), "buffers released on the lost device");
        } finally {
            device.close();
        }
        Device reopened = Device.select("opencl");
        assertNotSame(device, reopened);
        try (Layers layers = new Layers(reopened)) {
            layers.conv(freshSize(), 52).runAndCheck();
        }
    }

    /** Calls counted at each point: which driver calls were attempted. */
    private static long[] reached(FaultPlan plan) {
        long[] counts = new long[FaultPoint.values().length];
        for (FaultPoint point : FaultPoint.values()) {
            counts[point.ordinal()] = plan.calls(point);
        }
        return counts;
    }

    /** One forward call on a host input, with the Java backend's result for it. */
    private record Call(ConvModule<?, ?> module, Tensor input, float[] expected, Device device) {

        /** Forward, then wait for the device (so a finish fault belongs to this call). */
        float[] run() {
            float[] output = module.forward(input).toArray();
            device.synchronize();
            return output;
        }

        void runAndCheck() {
            float[] actual = run();
            if (actual.length != expected.length) {
                fail(module + ": " + actual.length + " outputs, expected " + expected.length);
            }
            Comparison.assertClose(expected, actual, TOLERANCE, module + " on " + device.id());
        }
    }

    /** A Conv2d and a ConvTranspose2d on the device under test, and twins with the same parameters on Java. */
    private static final class Layers implements AutoCloseable {
        final Device device;
        final Conv2d conv;
        final ConvTranspose2d transposed;
        private final Conv2d javaConv;
        private final ConvTranspose2d javaTransposed;

        Layers(Device device) {
            this.device = device;
            int outChannels = FRESH_CHANNELS.getAndIncrement();
            conv = Conv2d.builder(3, outChannels, 3).padding(1).device(device).build();
            transposed = ConvTranspose2d.builder(4, outChannels, 4)
                    .stride(2)
                    .padding(1)
                    .device(device)
                    .build();
            javaConv = Conv2d.builder(3, outChannels, 3)
                    .padding(1)
                    .device(Device.java())
                    .build();
            javaConv.setWeight(conv.weight());
            javaConv.setBias(conv.bias());
            javaTransposed = ConvTranspose2d.builder(4, outChannels, 4)
                    .stride(2)
                    .padding(1)
                    .device(Device.java())
                    .build();
            javaTransposed.setWeight(transposed.weight());
            javaTransposed.setBias(transposed.bias());
        }

        Call conv(int height, long seed) {
            Tensor input = Comparison.randomTensor(seed, 2, 3, height, height + 1);
            return new Call(conv, input, javaConv.forward(input).toArray(), device);
        }

        Call transposed(int height, long seed) {
            Tensor input = Comparison.randomTensor(seed, 2, 4, height, height + 1);
            return new Call(transposed, input, javaTransposed.forward(input).toArray(), device);
        }

        @Override
        public void close() {
            conv.close();
            transposed.close();
            javaConv.close();
            javaTransposed.close();
        }
    }
}
