package dev.jconv.bench;

import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.Tensor;

/**
 * Times one module on one device: the input lives on the device and every call is followed by a synchronize, so the
 * time is the op, not copies or queueing.
 */
final class ShapeTimer {

    private final Sampler sampler;

    ShapeTimer(Sampler sampler) {
        this.sampler = sampler;
    }

    /** Wall and kernel-only times of {@code module} on {@code input} (a host tensor), run on {@code device}. */
    Timing time(ConvModule<?, ?> module, Tensor input, Device device) {
        module.to(device);
        try (Tensor onDevice = input.to(device)) {
            return sampler.sample(() -> call(module, onDevice, device), device.backend()::kernelNanos);
        }
    }

    /** Runs {@code module} on {@code device} for {@code nanos}, untimed (see {@link Bench}'s warm-up pass). */
    static void warmUp(ConvModule<?, ?> module, Tensor input, Device device, long nanos) {
        module.to(device);
        try (Tensor onDevice = input.to(device)) {
            long start = System.nanoTime();
            do {
                call(module, onDevice, device);
            } while (System.nanoTime() - start < nanos);
        }
    }

    private static void call(ConvModule<?, ?> module, Tensor input, Device device) {
        Tensor output = module.forward(input);
        device.synchronize();
        output.close();
    }
}
