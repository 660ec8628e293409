package dev.jconv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.AllClose;
import dev.jconv.Tensor;
import dev.jconv.TestResources;
import dev.jconv.io.NetSpec;
import dev.jconv.io.Npy;
import dev.jconv.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves OnnxNetworkWriter: golden networks written as ONNX models give PyTorch's output in ONNX Runtime, and a layer
 * with no ONNX node is refused by name.
 */
class OnnxNetworkWriterTest {

    private static final Path NETS = TestResources.path("/golden-nets");

    @Test
    void goldenNetworksRunInOnnxRuntimeAsInPyTorch() throws IOException {
        // The golden networks without GELU or a non-zero padding mode: conv (groups, depthwise) and transposed conv,
        // BatchNorm2d with and without affine, ReLU, LeakyReLU, ReLU6, Sigmoid, Tanh, SiLU, Hardswish; F16 weights.
        for (String name : List.of(
                "conv_bn_relu",
                "conv_groups_depthwise",
                "convtranspose_stride",
                "f16_weights",
                "batchnorm_no_affine",
                "batchnorm_first_and_after_activation",
                "activations_after_conv_a")) {
            Path directory = NETS.resolve(name);
            Tensor input = Npy.read(directory.resolve("x.npy"));
            Npy.Array expected = Npy.readArray(directory.resolve("y.npy"));
            byte[] model = OnnxNetworkWriter.write(
                    NetSpec.read(directory.resolve("net.json")),
                    Safetensors.open(directory.resolve("net.safetensors")),
                    input.shape());
            try (OrtModel session = new OrtModel(model, input)) {
                AllClose check = AllClose.compare(session.output(), expected.data(), 1e-4, 1e-4);
                assertTrue(
                        check.passed(),
                        name + ": " + check.failures() + " values differ from PyTorch's, worst by "
                                + check.worstDifference());
            }
        }
    }

    @Test
    void aLayerWithNoOnnxNodeIsRefusedByIndex() {
        NetSpec spec = NetSpec.parse(
                "{\"format\": \"jconv-sequential/1\", \"layers\": [{\"type\": \"ReLU\"}," + " {\"type\": \"GELU\"}]}");
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> OnnxNetworkWriter.write(spec, null, new int[] {1, 1, 2, 2}));
        assertEquals("layer 1 (GELU) has no ONNX opset 17 node in the bench's writer", error.getMessage());
    }
}
