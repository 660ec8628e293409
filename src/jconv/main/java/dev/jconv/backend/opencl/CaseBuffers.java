package dev.jconv.backend.opencl;

import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@link KernelTuner.Case}'s input, weight, bias and output on one backend, where the case's op runs as often as
 * the tuner asks: the reference backend once, the tuned device for every candidate.
 */
final class CaseBuffers implements AutoCloseable {
    private final Backend backend;
    private final ConvGeometry geometry;
    private final List<DeviceBuffer> owned = new ArrayList<>();
    private final OpBuffers buffers;

    CaseBuffers(Backend backend, KernelTuner.Case tuningCase, float[] input) {
        this.backend = backend;
        this.geometry = tuningCase.geometry();
        try {
            DeviceBuffer weight = own(backend.upload(tuningCase.weight()));
            this.buffers = new OpBuffers(
                    own(backend.upload(input)),
                    weight,
                    tuningCase.bias() == null ? null : own(backend.upload(tuningCase.bias())),
                    own(backend.allocate(geometry.outputElements())));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private DeviceBuffer own(DeviceBuffer buffer) {
        owned.add(buffer);
        return buffer;
    }

    /** One call, waited for; its output stays on the backend. */
    void call() {
        run(buffers);
        backend.finish();
    }

    /** One call into a fresh output filled with NaN, read back. */
    float[] output() {
        float[] values = new float[Math.toIntExact(geometry.outputElements())];
        Arrays.fill(values, Float.NaN);
        try (DeviceBuffer output = backend.upload(values)) {
            run(new OpBuffers(buffers.input(), buffers.weight(), buffers.bias(), output));
            backend.download(output, values);
        }
        return values;
    }

    private void run(OpBuffers operands) {
        if (geometry instanceof Conv2dGeometry conv) {
            backend.conv2d(conv, operands);
        } else {
            backend.convTranspose2d((ConvTranspose2dGeometry) geometry, operands);
        }
    }

    @Override
    public void close() {
        owned.forEach(DeviceBuffer::close);
    }
}
