package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.Comparison;
import dev.jconv.Conv2d;
import dev.jconv.Device;
import dev.jconv.Tensor;
import dev.jconv.TestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two backends opened on one OpenCL device take turns: a launch on one drains the other's queue first, a launch on the
 * queue that ran last does not, and a closed backend's queue is never drained again (that would touch a released
 * queue). Both give the same results as one backend alone.
 */
class KernelTurnsTest {

    @Test
    void twoQueuesOnOneDeviceTakeTurns(@TempDir Path cache) throws Exception {
        var info = TestDevices.openClOrSkip().info();
        Tensor input = Comparison.randomTensor(41, 2, 4, 12, 12);
        try (Device first = TestDevices.wrapping(
                        OpenClDevices.open(info, false, Files.createDirectory(cache.resolve("a"))));
                Device second = TestDevices.wrapping(
                        OpenClDevices.open(info, false, Files.createDirectory(cache.resolve("b"))));
                Conv2d onFirst =
                        Conv2d.builder(4, 6, 3).padding(1).seed(7).device(first).build();
                Conv2d onSecond = Conv2d.builder(4, 6, 3)
                        .padding(1)
                        .seed(7)
                        .device(second)
                        .build()) {
            Tensor expected = onFirst.forward(input);
            long start = KernelTurns.switches();
            onFirst.forward(input);
            assertEquals(start, KernelTurns.switches(), "the queue that ran last launches without draining anything");
            Tensor fromSecond = onSecond.forward(input);
            assertEquals(start + 1, KernelTurns.switches(), "the second queue drained the first before its launch");
            Tensor again = onFirst.forward(input);
            assertEquals(start + 2, KernelTurns.switches(), "and the first drained the second");
            Comparison.assertClose(expected, fromSecond, 0, "the same module on the second backend");
            Comparison.assertClose(expected, again, 0, "the first backend after the second ran");
            second.close();
            long afterClose = KernelTurns.switches();
            onFirst.forward(input);
            assertEquals(afterClose, KernelTurns.switches(), "a closed backend's queue is forgotten, never drained");
        }
    }
}
