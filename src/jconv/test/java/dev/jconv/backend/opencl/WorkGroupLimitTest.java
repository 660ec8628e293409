package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Comparison;
import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Tensor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A launch whose work-group is over its kernel's own limit (CL_KERNEL_WORK_GROUP_SIZE, which a GPU driver may set
 * below the device's maximum) is refused before the enqueue: the op runs the other kernel family with one warning,
 * a forced kernel fails with a {@link WorkGroupLimitException} naming the limit, and when both families are refused
 * the call fails with both refusals. PoCL gives every kernel the device's maximum, so the limits here are injected
 * ({@link OpenClBackend#limitWorkGroupsForTests}) on a device opened afresh for each test.
 */
class WorkGroupLimitTest {

    private static final double TOLERANCE = 1e-4;
    /** The direct kernels' work-groups on PoCL have more than one work-item for these layers; GEMM's too. */
    private static final long ONE_WORK_ITEM = 1;
    /** The channel-vector Conv2d kernel, whose work-groups lie along the output row. */
    private static final String FORCED = "direct:OC=16,OCT=12,VW=16,WG=2,WORK=256,JV=1,CV=4,PX=4";

    @RegisterExtension
    final FreshOpenClDevice fresh = new FreshOpenClDevice();

    /** The kernels whose limit the fallback asked for. */
    private final Set<String> asked = ConcurrentHashMap.newKeySet();

    @AfterEach
    void unforce() {
        System.clearProperty(KernelSelector.PROPERTY);
    }

    private OpenClBackend backend() {
        return (OpenClBackend) fresh.device().backend();
    }

    /** Every kernel but the GEMM one allows a single work-item per work-group. */
    private void limitTheDirectKernels() {
        backend().limitWorkGroupsForTests(kernel -> {
            asked.add(kernel.name());
            return kernel.name().equals(GemmPlan.KERNEL) ? Long.MAX_VALUE : ONE_WORK_ITEM;
        });
    }

    @Test
    void aDirectKernelOverItsLimitIsReplacedByGemmWithOneWarningAndTheRightResult() {
        limitTheDirectKernels();
        try (CapturedWarnings warnings = new CapturedWarnings(KernelFallback.class);
                Conv2d conv = Conv2d.builder(8, 64, 3).padding(1).build();
                ConvTranspose2d up =
                        ConvTranspose2d.builder(4, 32, 4).stride(2).padding(1).build()) {
            Tensor convInput = Comparison.randomTensor(3, 2, 8, 12, 16);
            // An image larger than the weights puts the channel tiles in the first NDRange dimension, where the
            // direct ConvTranspose2d kernel's work-groups lie on this device.
            Tensor upInput = Comparison.randomTensor(4, 2, 4, 24, 32);
            for (int call = 0; call < 2; call++) {
                assertMatchesJava(conv, convInput);
                assertMatchesJava(up, upInput);
            }
            List<String> messages = warnings.messages();
            assertEquals(2, messages.size(), "one warning per layer, not per call: " + messages);
            for (String message : messages) {
                assertTrue(
                        message.contains("cannot run its work-group here")
                                && message.contains("allows at most 1 work-items per work-group")
                                && message.contains("running the gemm:"),
                        message);
            }
            assertEquals(2, backend().fallback().refusedPrograms());
            assertTrue(asked.contains(GemmPlan.KERNEL), "the replacement's limit is checked too: " + asked);
        }
    }

    @Test
    void aForcedKernelOverItsLimitFailsNamingTheLimitAndIsNeverReplaced() {
        limitTheDirectKernels();
        System.setProperty(KernelSelector.PROPERTY, FORCED);
        try (CapturedWarnings warnings = new CapturedWarnings(KernelFallback.class);
                Conv2d conv = Conv2d.builder(8, 64, 3).padding(1).build()) {
            Device device = fresh.device();
            conv.to(device);
            Tensor input = Comparison.randomTensor(4, 2, 8, 12, 16).to(device);
            WorkGroupLimitException failure = assertThrows(WorkGroupLimitException.class, () -> conv.forward(input));
            assertEquals("CL_INVALID_WORK_GROUP_SIZE", failure.errorName());
            assertTrue(
                    failure.getMessage()
                                    .contains("allows at most 1 work-items per work-group on "
                                            + device.info().summary())
                            && failure.getMessage().contains("local [")
                            && failure.getMessage().contains("-D KH=3"),
                    failure.getMessage());
            assertEquals(0, warnings.messages().size(), "nothing was replaced: " + warnings.messages());
            assertEquals(0, backend().fallback().refusedPrograms());
        }
    }

    @Test
    void whenBothFamiliesAreOverTheirLimitsTheCallFailsWithBothAndRunsOnceTheLimitsAllow() {
        backend().limitWorkGroupsForTests(kernel -> ONE_WORK_ITEM);
        try (ConvTranspose2d up =
                ConvTranspose2d.builder(4, 32, 4).stride(2).padding(1).build()) {
            Tensor input = Comparison.randomTensor(5, 2, 4, 24, 32);
            up.to(fresh.device());
            WorkGroupLimitException failure = assertThrows(
                    WorkGroupLimitException.class, () -> up.forward(input).close());
            assertEquals(1, failure.getSuppressed().length, "the replacement's refusal rides along");
            WorkGroupLimitException second =
                    assertInstanceOf(WorkGroupLimitException.class, failure.getSuppressed()[0]);
            assertTrue(second.getMessage().contains("kernel " + GemmPlan.KERNEL + " of "), second.getMessage());
            backend().limitWorkGroupsForTests(kernel -> Long.MAX_VALUE);
            assertMatchesJava(up, input);
        }
    }

    /** Runs {@code module} on the fresh device and on Java with the same parameters, and compares the outputs. */
    private void assertMatchesJava(ConvModule<?, ?> module, Tensor input) {
        module.to(Device.java());
        float[] expected = module.forward(input).toArray();
        module.to(fresh.device());
        Comparison.assertClose(expected, module.forward(input).toArray(), TOLERANCE, module + " on the fresh device");
    }
}
