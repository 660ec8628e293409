package dev.jconv.bench;

import dev.jconv.ConvModule;
import dev.jconv.Device;
import dev.jconv.Tensor;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Times a workload shape in ONNX Runtime on a model holding the module's own weight and bias, after checking that
 * ONNX Runtime's output matches jconv's for the same input: a model that computes something else is never timed.
 */
final class OrtTimer {

    /** The outputs agree when the largest difference is within this share of the output's largest magnitude, */
    private static final double PEAK_SHARE = 1e-3;
    /** or when every element is within ABSOLUTE + RELATIVE x |jconv's value|. */
    private static final double ABSOLUTE = 1e-4;

    private static final double RELATIVE = 1e-4;

    private final Sampler sampler;

    /**
     * @throws LinkageError or a RuntimeException when ONNX Runtime's classes or native library cannot be loaded
     */
    OrtTimer(Sampler sampler) {
        OrtModel.environment(); // fails here, before any timing, on a platform ONNX Runtime does not support
        this.sampler = sampler;
    }

    /**
     * The timer, or null (with the reason on {@code progress}) when ONNX Runtime cannot be loaded: its classes are
     * checked by name first, so none of them is touched when its jar is missing.
     */
    static OrtTimer load(Sampler sampler, PrintStream progress) {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, OrtTimer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            progress.println("bench: ONNX Runtime comparison unavailable (its jar is not on the class path;"
                    + " `mvn package` fetches it and scripts/jconv adds it); continuing without it");
            return null;
        }
        try {
            return new OrtTimer(sampler);
        } catch (RuntimeException | LinkageError e) {
            progress.println("bench: ONNX Runtime comparison unavailable ("
                    + String.valueOf(e.getMessage() == null ? e : e.getMessage())
                            .replace('\n', ' ') + "); continuing without it");
            return null;
        }
    }

    /**
     * ONNX Runtime's times for {@code model} on {@code input}, after checking its output against {@code expected}.
     *
     * @throws IllegalStateException when ONNX Runtime's output differs
     */
    Timing time(String name, byte[] model, Tensor input, float[] expected) {
        try (OrtModel session = new OrtModel(model, input)) {
            requireAgreement(name, expected, session.output());
            return sampler.sample(session::call);
        }
    }

    /**
     * ONNX Runtime's times for {@code module} (built from {@code shape}) on {@code input}, a host tensor.
     *
     * @throws IllegalStateException when ONNX Runtime's output differs from jconv's Java backend's
     */
    Timing time(WorkloadShape shape, ConvModule<?, ?> module, Tensor input) {
        float[] expected;
        try (Tensor output = module.to(Device.java()).forward(input)) {
            expected = output.toArray();
        }
        return time(shape.name(), OnnxModelWriter.write(shape, module.weight(), module.bias()), input, expected);
    }

    /**
     * @throws IllegalStateException naming {@code name} and the largest difference, unless {@code actual} agrees
     *                               with {@code expected} by either rule above
     */
    static void requireAgreement(String name, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalStateException("ONNX Runtime's output for " + name + " has " + actual.length
                    + " elements, jconv's " + expected.length + "; not timing it");
        }
        double largestDifference = 0;
        double peak = 0;
        boolean everyElementClose = true;
        for (int i = 0; i < expected.length; i++) {
            double difference = Math.abs(actual[i] - expected[i]);
            largestDifference = Math.max(largestDifference, difference); // NaN stays NaN
            peak = Math.max(peak, Math.abs(expected[i]));
            everyElementClose &= difference <= ABSOLUTE + RELATIVE * Math.abs(expected[i]);
        }
        if (!everyElementClose && !(largestDifference <= PEAK_SHARE * peak)) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "ONNX Runtime disagrees with jconv on %s: max |difference| %.3g with outputs up to %.3g;"
                            + " not timing it",
                    name,
                    largestDifference,
                    peak));
        }
    }
}
