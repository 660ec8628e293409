package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.Comparison;
import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Tensor;
import dev.jconv.TestDevices;
import dev.jconv.backend.DeviceBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory program cache on the real device: different programs build at the same time, one program is built
 * once however many threads ask for it, a failed build is not kept, the bound holds with least recently used
 * programs evicted, an evicted program stays alive while a launch holds it, and results stay right when a tiny cache
 * evicts all the time under several threads. Concurrency is shown with latches and thread states, never timing.
 */
class ProgramCacheTest {

    private static final String TWICE =
            "__kernel void twice(__global float *x) {" + " x[GUARD + get_global_id(0)] *= FACTOR; }";
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path cache;

    private OpenClBackend backend;
    /** Programs the builder made, by options, in order. */
    private final List<ClProgram> made = new ArrayList<>();

    @BeforeEach
    void open() {
        backend = OpenClDevices.open(TestDevices.openClOrSkip().info(), false, cache);
    }

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    private static String options(int factor) {
        return "-D GUARD=" + ClBuffer.GUARD_FLOATS + " -D FACTOR=" + factor + ".0f";
    }

    /** Compiles on the test's device (no binaries) and remembers what it made. */
    private ProgramLoader.Loaded compile(String sourceName, String source, String options) {
        ClProgram program = ClProgram.build(backend.queue(), sourceName, source, options, "test device");
        synchronized (made) {
            made.add(program);
        }
        return new ProgramLoader.Loaded(program, ProgramLoader.Origin.BUILT);
    }

    private static ProgramCache.Lease acquire(ProgramCache programs, int factor) {
        return programs.acquire("twice.cl", TWICE, options(factor));
    }

    @Test
    void differentProgramsBuildAtTheSameTime() throws Exception {
        CountDownLatch bothBuilding = new CountDownLatch(2);
        Map<String, Boolean> sawTheOther = new ConcurrentHashMap<>();
        ProgramCache programs = new ProgramCache(
                (name, source, options) -> {
                    bothBuilding.countDown();
                    try {
                        // Each build waits for the other to start: if builds were serialised, this would time out.
                        sawTheOther.put(options, bothBuilding.await(WAIT_SECONDS, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return compile(name, source, options);
                },
                8,
                "test device");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = threads.submit(() -> acquire(programs, 2).close());
            Future<?> second = threads.submit(() -> acquire(programs, 3).close());
            first.get(2 * WAIT_SECONDS, TimeUnit.SECONDS);
            second.get(2 * WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
            programs.close();
        }
        assertEquals(Map.of(options(2), true, options(3), true), sawTheOther, "each build saw the other running");
    }

    @Test
    void theSameProgramIsBuiltOnceUnderEightThreads() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ProgramCache programs = new ProgramCache(
                (name, source, options) -> {
                    builds.incrementAndGet();
                    try {
                        release.await(WAIT_SECONDS, TimeUnit.SECONDS); // held until every thread is waiting
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return compile(name, source, options);
                },
                8,
                "test device");
        List<Thread> threads = new ArrayList<>();
        List<ClProgram> got = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread thread = new Thread(() -> {
                try (ProgramCache.Lease lease = acquire(programs, 4)) {
                    lease.program().kernel("twice");
                    synchronized (got) {
                        got.add(lease.program());
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        // The builder waits on the latch and the seven others on its future: all eight parked, none building.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!threads.stream()
                .allMatch(thread ->
                        thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING)) {
            if (System.nanoTime() > deadline) {
                fail("the eight threads never all waited: "
                        + threads.stream().map(Thread::getState).toList());
            }
            Thread.sleep(5);
        }
        assertEquals(1, builds.get(), "one thread builds while the others wait");
        release.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        assertEquals(1, builds.get());
        assertEquals(8, got.size());
        got.forEach(program -> assertSame(got.get(0), program));
        assertEquals(new ProgramCounts(1, 0, 7, 0, 1), programs.counts());
        programs.close();
    }

    @Test
    void aFailedBuildIsNotKeptAndTheNextRequestTriesAgain() {
        AtomicInteger builds = new AtomicInteger();
        ProgramCache programs = new ProgramCache(
                (name, source, options) -> {
                    builds.incrementAndGet();
                    return compile(name, source, options);
                },
                8,
                "test device");
        String broken = "__kernel void broken(__global float *x) { x[0] = undeclared; }";
        assertThrows(
                KernelBuildException.class,
                () -> programs.acquire("broken.cl", broken, "").close());
        assertEquals(0, programs.size());
        assertThrows(
                KernelBuildException.class,
                () -> programs.acquire("broken.cl", broken, "").close());
        assertEquals(2, builds.get(), "the failure was not cached");
        programs.close();
    }

    @Test
    void theBoundHoldsAndTheLeastRecentlyUsedProgramGoesFirst() {
        ProgramCache programs = new ProgramCache(this::compile, 3, "test device");
        for (int factor = 1; factor <= 3; factor++) {
            acquire(programs, factor).close();
        }
        acquire(programs, 1).close(); // 1 is now the most recently used, 2 the least
        acquire(programs, 4).close();
        assertEquals(3, programs.size());
        assertTrue(made.get(1).isReleased(), "program 2, least recently used, was evicted and released");
        assertFalse(made.get(0).isReleased());
        for (int factor = 5; factor <= 12; factor++) {
            acquire(programs, factor).close();
            assertTrue(programs.size() <= 3, "held " + programs.size());
        }
        ProgramCounts counts = programs.counts();
        assertEquals(12, counts.built());
        assertEquals(9, counts.evicted());
        long released = made.stream().filter(ClProgram::isReleased).count();
        assertEquals(9, released, "every evicted program was released, no other");
        programs.close();
        assertTrue(made.stream().allMatch(ClProgram::isReleased), "close released the rest");
    }

    @Test
    void anEvictedProgramLivesUntilTheLaunchHoldingItHasEnqueued() {
        ProgramCache programs = new ProgramCache(this::compile, 1, "test device");
        float[] data = {1, 2, 3};
        try (DeviceBuffer buffer = backend.upload(data)) {
            ProgramCache.Lease lease = acquire(programs, 2);
            ClKernel kernel = lease.program().kernel("twice");
            acquire(programs, 3).close(); // evicts program 2 while the lease holds it
            assertEquals(1, programs.counts().evicted());
            assertFalse(made.get(0).isReleased(), "still leased");
            kernel.enqueue(
                    backend.queue(),
                    new ClBuffer[] {(ClBuffer) buffer},
                    new int[0],
                    0,
                    new long[] {3},
                    null,
                    null,
                    () -> "twice");
            lease.close();
            assertTrue(made.get(0).isReleased(), "released once the enqueue returned and the lease closed");
            float[] back = new float[3];
            backend.download(buffer, back); // the queued kernel still ran: the driver kept what it needed
            assertArrayEquals(new float[] {2, 4, 6}, back);
            try (ProgramCache.Lease again = acquire(programs, 2)) {
                assertNotSame(made.get(0), again.program(), "asked again, it is built again");
            }
        }
        programs.close();
    }

    @Test
    void resultsStayRightWhenATinyCacheEvictsUnderFourThreads() throws Exception {
        backend.close();
        String previous = System.setProperty(ProgramCache.CAPACITY_PROPERTY, "2");
        try {
            backend = OpenClDevices.open(TestDevices.openClOrSkip().info(), false, cache);
        } finally {
            if (previous == null) {
                System.clearProperty(ProgramCache.CAPACITY_PROPERTY);
            } else {
                System.setProperty(ProgramCache.CAPACITY_PROPERTY, previous);
            }
        }
        Device device = TestDevices.wrapping(backend);
        Conv2d conv = Conv2d.builder(3, 5, 3).padding(1).device(device).build();
        ConvTranspose2d transposed = ConvTranspose2d.builder(3, 4, 4)
                .stride(2)
                .padding(1)
                .device(device)
                .build();
        Conv2d javaConv =
                Conv2d.builder(3, 5, 3).padding(1).device(Device.java()).build();
        ConvTranspose2d javaTransposed = ConvTranspose2d.builder(3, 4, 4)
                .stride(2)
                .padding(1)
                .device(Device.java())
                .build();
        javaConv.setWeight(conv.weight());
        javaConv.setBias(conv.bias());
        javaTransposed.setWeight(transposed.weight());
        javaTransposed.setBias(transposed.bias());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int first = thread;
                done.add(threads.submit(() -> {
                    for (int call = 0; call < 6; call++) {
                        int size = 5 + (first + call) % 4; // 4 sizes x 2 ops: 8 programs through a cache of 2
                        Tensor input = Comparison.randomTensor(first * 100L + call, 1, 3, size, size + 1);
                        Comparison.assertClose(javaConv.forward(input), conv.forward(input), 1e-4, "conv " + size);
                        Comparison.assertClose(
                                javaTransposed.forward(input), transposed.forward(input), 1e-4, "transposed " + size);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
            conv.close();
            transposed.close();
            javaConv.close();
            javaTransposed.close();
        }
        ProgramCounts counts = backend.programCounts();
        assertTrue(counts.held() <= 2, "bound of 2 once quiet: " + counts);
        assertTrue(counts.evicted() > 0, "the small cache evicted: " + counts);
    }
}
