package dev.jconv.bench;

import dev.jconv.Tensor;
import dev.jconv.io.NetSpec;
import dev.jconv.io.Safetensors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Whole-network timing by the bench's one rule ({@link Sampler}: warm-up, then samples until the median is stable or
 * the budget is spent), for jconv and for ONNX Runtime side by side, as {@code jconv generate --compare-ort} shows.
 * ONNX Runtime runs the network written as an ONNX model of the same layers and weights ({@link OnnxNetworkWriter}),
 * its output checked against jconv's before any timing.
 */
public final class NetworkTimer {

    private static final int MAX_SAMPLES = 200;

    private final Sampler sampler;

    /** @param budgetSeconds the most time spent sampling one network, after warm-up */
    public NetworkTimer(double budgetSeconds) {
        this.sampler = new Sampler(budgetSeconds, MAX_SAMPLES);
    }

    /** Wall times of {@code forward}. */
    public Timing time(Runnable forward) {
        return sampler.sample(forward);
    }

    /**
     * ONNX Runtime's wall times for one forward of {@code input}, or null (the reason on {@code progress}) when
     * ONNX Runtime cannot be loaded.
     *
     * @param expected jconv's output for {@code input}, which ONNX Runtime's must match
     * @throws IllegalStateException when ONNX Runtime's output differs from {@code expected}
     * @throws IllegalArgumentException naming a layer that the ONNX writer cannot express
     */
    public Timing onnxRuntime(Path netJson, Path weights, Tensor input, float[] expected, PrintStream progress)
            throws IOException {
        OrtTimer timer = OrtTimer.load(sampler, progress);
        if (timer == null) {
            return null;
        }
        byte[] model = OnnxNetworkWriter.write(NetSpec.read(netJson), Safetensors.open(weights), input.shape());
        return timer.time(netJson.getFileName().toString(), model, input, expected);
    }
}
