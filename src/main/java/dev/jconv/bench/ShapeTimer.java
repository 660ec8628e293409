package dev.jconv.bench;

import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times one workload shape on one device: the input lives on the device, every call is followed by a
 * synchronize (so the time is the op, not copies or queueing), and samples are taken until the median is stable.
 */
final class ShapeTimer {

    /** When the median moves less than this between rounds, it is stable. */
    private static final double STABLE = 0.02;
    private static final int ROUND = 5;
    /**
     * Warm-up lasts this many calls and this long, whichever ends later: the JIT must have compiled the host path
     * and the Java kernels, or the first samples time the interpreter.
     */
    private static final int WARM_UP_CALLS = 20;
    private static final long WARM_UP_NANOS = 500_000_000L;

    private final long budgetNanos;
    private final int maxSamples;

    ShapeTimer(double budgetSeconds, int maxSamples) {
        this.budgetNanos = (long) (budgetSeconds * 1e9);
        this.maxSamples = maxSamples;
    }

    /** Median wall and kernel-only milliseconds (kernel NaN when the device does not profile). */
    record Timing(double wallMillis, double kernelMillis, int samples) {
    }

    Timing time(WorkloadShape shape, Device device) {
        float[] values = new float[Math.toIntExact((long) shape.batch() * shape.inChannels() * shape.height()
                * shape.width())];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        try (ConvModule module = shape.newModule().to(device);
             Tensor input = Tensor.of(values, shape.inputShape()).to(device)) {
            long warmUpStart = System.nanoTime();
            for (int i = 0; i < WARM_UP_CALLS || System.nanoTime() - warmUpStart < WARM_UP_NANOS; i++) {
                call(module, input, device);
            }
            List<Double> wall = new ArrayList<>();
            List<Double> kernel = new ArrayList<>();
            long start = System.nanoTime();
            double previousMedian = Double.NaN;
            while (wall.size() < maxSamples) {
                for (int i = 0; i < ROUND; i++) {
                    long kernelBefore = device.backend().kernelNanos();
                    long begin = System.nanoTime();
                    call(module, input, device);
                    wall.add((System.nanoTime() - begin) / 1e6);
                    long kernelAfter = device.backend().kernelNanos();
                    if (kernelBefore >= 0 && kernelAfter >= 0) {
                        kernel.add((kernelAfter - kernelBefore) / 1e6);
                    }
                }
                double median = median(wall);
                boolean stable = Math.abs(median - previousMedian) <= STABLE * median;
                if ((stable && wall.size() >= 2 * ROUND) || System.nanoTime() - start > budgetNanos) {
                    break;
                }
                previousMedian = median;
            }
            return new Timing(median(wall), kernel.isEmpty() ? Double.NaN : median(kernel), wall.size());
        }
    }

    private static void call(ConvModule module, Tensor input, Device device) {
        Tensor output = module.forward(input);
        device.synchronize();
        output.close();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
