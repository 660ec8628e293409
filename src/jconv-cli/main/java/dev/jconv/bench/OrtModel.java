package dev.jconv.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.jconv.Tensor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * One ONNX model in an ONNX Runtime CPU session, with its input made once. The only class that touches
 * {@code ai.onnxruntime}: it is loaded for {@code --compare-ort} alone, so the rest of jconv runs without ONNX
 * Runtime's jar.
 */
final class OrtModel implements AutoCloseable {

    private final OrtSession session;
    private final OnnxTensor input;

    /**
     * Loads {@code model} (whose input is {@link OnnxModelWriter#INPUT}) with as many intra-op threads as this
     * machine has cores, one inter-op thread and every graph optimisation.
     *
     * @throws IllegalStateException when ONNX Runtime rejects the model or the input
     */
    OrtModel(byte[] model, Tensor input) {
        OrtEnvironment environment = environment();
        try {
            this.input = OnnxTensor.createTensor(
                    environment,
                    FloatBuffer.wrap(input.toArray()),
                    Arrays.stream(input.shape()).asLongStream().toArray());
        } catch (OrtException e) {
            throw failure(e);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addCPU(true);
            this.session = environment.createSession(model, options);
        } catch (OrtException e) {
            this.input.close();
            throw failure(e);
        }
    }

    /**
     * ONNX Runtime's process-wide environment; the first call loads its native library, so this is where a
     * platform it does not support shows.
     */
    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /** One run, its output copied out. */
    float[] output() {
        try (OrtSession.Result result = run()) {
            FloatBuffer values = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] copy = new float[values.remaining()];
            values.get(copy);
            return copy;
        }
    }

    /** One run whose output is dropped: what the bench times. */
    void call() {
        run().close();
    }

    private OrtSession.Result run() {
        try {
            return session.run(Map.of(OnnxModelWriter.INPUT, input));
        } catch (OrtException e) {
            throw failure(e);
        }
    }

    private static IllegalStateException failure(OrtException e) {
        return new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        input.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw failure(e);
        }
    }
}
