package dev.jconv.bench;

/**
 * One measured (shape, device) pair. {@code kernelMillis} is NaN when the device does not profile; {@code torchMillis}
 * is NaN when PyTorch was not compared.
 */
public record BenchRow(WorkloadShape shape, String device, double millis, double kernelMillis, double torchMillis,
                       int samples) {

    /** 2 x multiply-adds per second, in billions, from the wall time. */
    public double gflops() {
        return 2.0 * shape.multiplyAdds() / (millis * 1e6);
    }

    /** PyTorch's time over ours: above 1 means jconv is faster. */
    public double speedup() {
        return torchMillis / millis;
    }
}
