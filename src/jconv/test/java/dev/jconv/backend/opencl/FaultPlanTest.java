package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jocl.CL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fault spec's grammar, its defaults and error messages, and its counting under threads; no device needed. */
class FaultPlanTest {

    @Test
    void eachPointFailsItsNthCallWithItsDefaultCode() {
        FaultPlan plan = FaultPlan.parse("alloc:2, write:1,build:1,kernel:3,read:1,finish:1");
        assertNull(plan.next(FaultPoint.ALLOC));
        assertEquals(
                CL.CL_MEM_OBJECT_ALLOCATION_FAILURE, plan.next(FaultPoint.ALLOC).status());
        assertNull(plan.next(FaultPoint.ALLOC), "only the N-th call fails");
        assertEquals(CL.CL_OUT_OF_RESOURCES, plan.next(FaultPoint.WRITE).status());
        assertEquals(CL.CL_BUILD_PROGRAM_FAILURE, plan.next(FaultPoint.BUILD).status());
        assertNull(plan.next(FaultPoint.KERNEL));
        assertNull(plan.next(FaultPoint.KERNEL));
        assertEquals(CL.CL_OUT_OF_RESOURCES, plan.next(FaultPoint.KERNEL).status());
        assertEquals(CL.CL_OUT_OF_RESOURCES, plan.next(FaultPoint.READ).status());
        assertEquals(CL.CL_OUT_OF_RESOURCES, plan.next(FaultPoint.FINISH).status());
        assertEquals(6, plan.fired());
        assertEquals(3, plan.calls(FaultPoint.ALLOC));
    }

    @Test
    void anyErrorNameJoclKnowsCanBeGivenInAnyCase() {
        FaultPlan plan = FaultPlan.parse("finish:1:CL_DEVICE_NOT_AVAILABLE,kernel:1:cl_invalid_command_queue,"
                + "alloc:1:CL_PLATFORM_NOT_FOUND_KHR");
        assertEquals(CL.CL_DEVICE_NOT_AVAILABLE, plan.next(FaultPoint.FINISH).status());
        assertEquals(CL.CL_INVALID_COMMAND_QUEUE, plan.next(FaultPoint.KERNEL).status());
        assertEquals(-1001, plan.next(FaultPoint.ALLOC).status());
        assertEquals(
                "finish:1:CL_DEVICE_NOT_AVAILABLE",
                FaultPlan.parse("finish:1:CL_DEVICE_NOT_AVAILABLE")
                        .next(FaultPoint.FINISH)
                        .describe());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "alloc",
                "alloc:",
                "alloc:0",
                "alloc:-1",
                "alloc:x",
                "alloc:1:2:3",
                "memory:1",
                "alloc:1:CL_NO_SUCH_ERROR",
                "alloc:1:CL_SUCCESS",
                "alloc:1,,read:1",
                "alloc:1,",
                "alloc:2,alloc:2"
            })
    void aMalformedSpecNamesTheBadEntryAndTheRule(String spec) {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse(spec));
        String message = failure.getMessage();
        assertTrue(message.contains("'" + spec + "'"), message);
        boolean namesRule = message.contains("POINT:N[:CODE]") || message.contains("a call can fail only once");
        assertTrue(namesRule, message);
    }

    @Test
    void theMessageNamesWhichEntryIsBad() {
        String message = assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse("read:1,kernel:two"))
                .getMessage();
        assertTrue(message.contains("entry 'kernel:two'") && message.contains("N = 'two'"), message);
        message = assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse("reed:1"))
                .getMessage();
        assertTrue(
                message.contains("'reed'") && message.contains("alloc, write, build, kernel, read, finish"), message);
    }

    @Test
    void underManyThreadsExactlyOneCallIsTheNth() throws Exception {
        FaultPlan plan = FaultPlan.parse("kernel:500");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> hits = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                hits.add(pool.submit(() -> {
                    int hit = 0;
                    for (int call = 0; call < 1000; call++) {
                        hit += plan.next(FaultPoint.KERNEL) == null ? 0 : 1;
                    }
                    return hit;
                }));
            }
            int total = 0;
            for (Future<Integer> hit : hits) {
                total += hit.get();
            }
            assertEquals(1, total);
            assertEquals(8000, plan.calls(FaultPoint.KERNEL));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMalformedSettingNamesWhereItCameFrom() {
        String message = assertThrows(
                        IllegalArgumentException.class,
                        () -> Faults.parse(Setting.choose(Faults.PROPERTY, null, Faults.ENVIRONMENT, "alloc:soon")))
                .getMessage();
        assertTrue(message.startsWith("environment variable JCONV_FAULTS: fault spec 'alloc:soon'"), message);
        message = assertThrows(
                        IllegalArgumentException.class,
                        () -> Faults.parse(Setting.choose(Faults.PROPERTY, "kernel", Faults.ENVIRONMENT, "alloc:1")))
                .getMessage();
        assertTrue(message.startsWith("system property jconv.faults: fault spec 'kernel'"), message);
    }
}
