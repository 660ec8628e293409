package dev.jconv.bench;

/**
 * One measured (shape, device) pair: jconv's {@link Timing}, PyTorch's median milliseconds for the same shape (NaN
 * when PyTorch was not compared) and ONNX Runtime's timing of it ({@link Timing#NONE} when not compared).
 */
public record BenchRow(WorkloadShape shape, String device, Timing timing, double torchMillis, Timing ort) {

    /** The median wall milliseconds per call: the figure every ratio and GFLOP/s uses. */
    public double millis() {
        return timing.medianMillis();
    }

    /** 2 x multiply-adds per second, in billions, from the median wall time. */
    public double gflops() {
        return gflops(shape, millis());
    }

    /** PyTorch's time over ours: above 1 means jconv is faster. */
    public double speedup() {
        return torchMillis / millis();
    }

    /** ONNX Runtime's median time over ours: above 1 means jconv is faster. */
    public double vsOrt() {
        return ort.medianMillis() / millis();
    }

    static double gflops(WorkloadShape shape, double millis) {
        return 2.0 * shape.multiplyAdds() / (millis * 1e6);
    }
}
