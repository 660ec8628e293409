package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Comparison;
import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.DeviceType;
import dev.jconv.PaddingMode;
import dev.jconv.Tensor;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input sizes are kernel arguments: one module runs several input sizes (batch, height and width) with a single
 * program build, for every kernel (conv2d's generic and channel-outer paths, conv2d_depthwise, conv2d_joint_rows,
 * conv2d_row_pairs, conv2d_pointwise, both transposed kernels, and conv_gemm for both ops), each result within 1e-4 of
 * the Java backend. Builds are counted by the program cache of a device opened afresh for each case. The sizes of each
 * case keep the size-dependent tile choices (vector width, tile order, kernel) the same, as the comments say.
 */
class OneProgramPerLayerTest {

    private static final double TOLERANCE = 1e-4;

    @RegisterExtension
    final FreshOpenClDevice fresh = new FreshOpenClDevice();

    @AfterEach
    void unforceTheKernel() {
        System.clearProperty(KernelSelector.PROPERTY);
    }

    /** One case: the kernel it reaches on PoCL, a forced kernel choice (or null), the module and the input shapes. */
    static Stream<Arguments> layers() {
        return Stream.of(
                // Reflect padding: the tap-outer path. Output widths 20-30: 16-lane vectors; weights under one image.
                layer(
                        "conv2d (tap-outer)",
                        null,
                        () -> Conv2d.builder(3, 8, 3)
                                .padding(1)
                                .paddingMode(PaddingMode.REFLECT)
                                .build(),
                        new int[] {2, 3, 9, 20},
                        new int[] {1, 3, 13, 24},
                        new int[] {3, 3, 5, 30}),
                layer(
                        "conv2d (channel-outer)",
                        null,
                        () -> Conv2d.builder(3, 8, 3).padding(1).build(),
                        new int[] {2, 3, 9, 20},
                        new int[] {1, 3, 13, 24},
                        new int[] {3, 3, 5, 30}),
                layer(
                        "conv2d_depthwise",
                        null,
                        () -> Conv2d.builder(8, 8, 3).padding(1).groups(8).build(),
                        new int[] {1, 8, 9, 20},
                        new int[] {2, 8, 17, 24},
                        new int[] {1, 8, 4, 30}),
                // Stride 1, 16 input channels, two rows per block: odd and even output heights.
                layer(
                        "conv2d_joint_rows",
                        "direct:OC=16,OCT=8,VW=16,WG=8,WORK=256,JV=2",
                        () -> Conv2d.builder(16, 8, 3).padding(1).build(),
                        new int[] {1, 16, 9, 20},
                        new int[] {2, 16, 12, 24},
                        new int[] {1, 16, 5, 30}),
                // Output rows of 6-8 pixels; weights outweigh one image at every size (tiles outer).
                layer(
                        "conv2d_row_pairs",
                        null,
                        () -> Conv2d.builder(16, 8, 3).padding(1).build(),
                        new int[] {1, 16, 6, 8},
                        new int[] {2, 16, 5, 7},
                        new int[] {1, 16, 8, 6}),
                // At least 384 pixels per image: 3 vectors of 16 per work-item.
                layer(
                        "conv2d_pointwise",
                        null,
                        () -> Conv2d.builder(8, 16, 1).build(),
                        new int[] {1, 8, 20, 20},
                        new int[] {2, 8, 24, 17},
                        new int[] {1, 8, 32, 30}),
                // Stride 1: phase rows longer than the input rows, so the row-wise kernel; 20-30 outputs per row.
                layer(
                        "conv_transpose2d",
                        null,
                        () -> ConvTranspose2d.builder(4, 6, 3).build(),
                        new int[] {1, 4, 7, 18},
                        new int[] {2, 4, 11, 22},
                        new int[] {1, 4, 5, 28}),
                // Stride 2, kernel 4, padding 1: each phase row has one output per input column (the flat kernel).
                layer(
                        "conv_transpose2d_flat",
                        null,
                        () -> ConvTranspose2d.builder(4, 6, 4)
                                .stride(2)
                                .padding(1)
                                .build(),
                        new int[] {1, 4, 10, 10},
                        new int[] {2, 4, 12, 9},
                        new int[] {1, 4, 16, 16}),
                layer(
                        "conv_gemm (conv2d)",
                        "gemm:MWG=16,NWG=16,KWG=8,MDIMC=4,NDIMC=4,SA=1,SB=1",
                        () -> Conv2d.builder(3, 8, 3).stride(2).padding(1).build(),
                        new int[] {2, 3, 9, 20},
                        new int[] {1, 3, 13, 24},
                        new int[] {3, 3, 5, 30}),
                layer(
                        "conv_gemm (conv_transpose2d)",
                        "gemm:MWG=16,NWG=16,KWG=8,MDIMC=4,NDIMC=4,SA=0,SB=0",
                        () -> ConvTranspose2d.builder(4, 6, 4)
                                .stride(2)
                                .padding(1)
                                .build(),
                        new int[] {1, 4, 10, 10},
                        new int[] {2, 4, 12, 9},
                        new int[] {1, 4, 7, 16}));
    }

    private static Arguments layer(String kernel, String forced, Supplier<ConvModule<?, ?>> module, int[]... shapes) {
        return Arguments.of(kernel, forced, module, shapes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void everyInputSizeOfALayerRunsOnOneProgram(
            String kernel, String forced, Supplier<ConvModule<?, ?>> module, int[][] shapes) {
        if (forced != null) {
            System.setProperty(KernelSelector.PROPERTY, forced);
        }
        try (ConvModule<?, ?> onDevice = module.get().to(fresh.device());
                ConvModule<?, ?> onJava = module.get().to(Device.java())) {
            onJava.setWeight(onDevice.weight());
            onJava.setBias(onDevice.bias());
            KernelLaunch first = launch(onDevice, shapes[0]);
            if (fresh.device().info().type() == DeviceType.CPU) {
                assertEquals(kernel.split(" ")[0], first.kernelName(), "the kernel this case is about");
            }
            ProgramCounts before = ProgramCounts.of(fresh.device().backend());
            for (int index = 0; index < shapes.length; index++) {
                KernelLaunch launch = launch(onDevice, shapes[index]);
                assertEquals(
                        first.kernelName() + " " + first.options(),
                        launch.kernelName() + " " + launch.options(),
                        "the same kernel and build options at every size of this case");
                Tensor input = Comparison.randomTensor(index, shapes[index]);
                Comparison.assertClose(
                        onJava.forward(input),
                        onDevice.forward(input),
                        TOLERANCE,
                        kernel + " on input " + java.util.Arrays.toString(shapes[index]));
            }
            ProgramCounts after = ProgramCounts.of(fresh.device().backend()).since(before);
            assertEquals(
                    1, after.obtained(), kernel + ": one program for " + shapes.length + " input sizes, but " + after);
            assertTrue(after.reused() > 0, "the later sizes reused it: " + after);
        }
    }

    /** The launch the backend plans for {@code module} on an input of {@code shape}. */
    private KernelLaunch launch(ConvModule<?, ?> module, int[] shape) {
        OpenClBackend backend = (OpenClBackend) fresh.device().backend();
        if (module instanceof Conv2d conv) {
            Conv2dGeometry geometry = conv.geometry(shape);
            return backend.selector().choose(TuningKey.of(geometry), geometry).launch(geometry, backend.tuning());
        }
        ConvTranspose2dGeometry geometry = ((ConvTranspose2d) module).geometry(shape, null);
        return backend.selector().choose(TuningKey.of(geometry), geometry).launch(geometry, backend.tuning());
    }
}
