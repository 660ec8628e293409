package dev.jconv.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import dev.jconv.geometry.Conv2dGeometry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where kernel choices come from: forced, tuning file (nearest shape), shipped defaults; and the file's safety. */
class KernelSelectionTest {

    private static final DeviceInfo NVIDIA = new DeviceInfo(
            "opencl:0",
            "NVIDIA H200",
            "NVIDIA Corporation",
            "NVIDIA CUDA",
            DeviceType.GPU,
            132,
            140L << 30,
            35L << 30,
            "OpenCL 3.0 CUDA, driver 570.00");
    private static final DeviceInfo AMD = new DeviceInfo(
            "opencl:0",
            "gfx1100",
            "Advanced Micro Devices, Inc.",
            "AMD Accelerated Parallel Processing",
            DeviceType.GPU,
            48,
            24L << 30,
            20L << 30,
            "OpenCL 2.0 AMD-APP, driver 3614.0");
    private static final DeviceInfo POCL = new DeviceInfo(
            "opencl:0",
            "cpu",
            "AuthenticAMD",
            "Portable Computing Language",
            DeviceType.CPU,
            2,
            24L << 30,
            8L << 30,
            "OpenCL 3.0 PoCL, driver 3.1");
    private static final DeviceInfo OTHER_CPU = new DeviceInfo(
            "opencl:0",
            "cpu",
            "Intel(R) Corporation",
            "Intel(R) OpenCL",
            DeviceType.CPU,
            2,
            24L << 30,
            8L << 30,
            "OpenCL 3.0, driver 2024.1");
    private static final DeviceLimits LIMITS = new DeviceLimits(1024, 49152);

    @TempDir
    Path cache;

    @AfterEach
    void clearForcedChoice() {
        System.clearProperty(KernelSelector.PROPERTY);
    }

    @Test
    void shippedDefaultsFollowTypeAndVendor() {
        // PoCL gets the shipped table's result for this very shape (resnet3x3 of the workload).
        KernelSelector.Selection pocl = new KernelSelector(POCL, LIMITS, cache).select(key(56));
        assertTrue(
                pocl.source().contains("shipped PoCL CPU table")
                        && pocl.source().contains("this shape"),
                pocl.source());
        assertEquals(KernelChoice.Variant.DIRECT, pocl.choice().variant());
        // Another CPU driver has no table: the direct kernels with the CPU row.
        assertEquals(
                KernelChoice.DIRECT,
                new KernelSelector(OTHER_CPU, LIMITS, cache).select(key(56)).choice());
        // An NVIDIA GPU gets the H200's table: its own result for this shape, and for a depthwise layer the direct
        // kernel that table holds; a structure the table lacks (5x5) gets the NVIDIA row; an AMD GPU, its row.
        KernelSelector nvidia = new KernelSelector(NVIDIA, LIMITS, cache);
        KernelSelector.Selection gpu = nvidia.select(key(56));
        assertEquals(
                new GemmParameters(64, 8, 16, 16, 8, true, true), gpu.choice().gemm());
        assertTrue(
                gpu.source().contains("shipped NVIDIA GPU table")
                        && gpu.source().contains("this shape"),
                gpu.source());
        TuningKey depthwise = TuningKey.of(
                Conv2d.builder(32, 32, 3).groups(32).padding(1).build().geometry(new int[] {1, 32, 28, 28}));
        KernelSelector.Selection depthwiseChoice = nvidia.select(depthwise);
        assertEquals(KernelChoice.Variant.DIRECT, depthwiseChoice.choice().variant());
        assertTrue(depthwiseChoice.source().contains("nearest tuned shape"), depthwiseChoice.source());
        KernelSelector.Selection fiveByFive = nvidia.select(fiveByFive());
        assertEquals(KernelDefaults.gemmFor(NVIDIA), fiveByFive.choice().gemm());
        assertTrue(fiveByFive.source().contains("shipped defaults for NVIDIA GPUs"), fiveByFive.source());
        KernelSelector.Selection amd = new KernelSelector(AMD, LIMITS, cache).select(key(56));
        assertEquals(KernelChoice.Variant.GEMM, amd.choice().variant());
        assertTrue(amd.source().contains("shipped defaults for AMD GPUs"), amd.source());
    }

    @Test
    void theNearestTunedShapeOfTheSameStructureWins() throws IOException {
        KernelChoice tuned = KernelChoice.gemm(new GemmParameters(32, 64, 8, 4, 16, true, false));
        TuningFile file = new TuningFile(cache, NVIDIA);
        KernelChoice other = KernelChoice.gemm(new GemmParameters(8, 8, 4, 2, 2, false, false));
        file.write(List.of(
                new TuningFile.Entry(key(56), tuned, 1.5, "gemm", 2.0),
                new TuningFile.Entry(key(7), other, 0.1, "gemm", 0.2)));
        KernelSelector selector = new KernelSelector(NVIDIA, LIMITS, cache);
        KernelSelector.Selection exact = selector.select(key(56));
        assertEquals(tuned, exact.choice());
        assertTrue(exact.source().contains("this shape"), exact.source());
        KernelSelector.Selection near = selector.select(key(40));
        assertEquals(tuned, near.choice());
        assertTrue(near.source().contains("nearest tuned shape"), near.source());
        assertEquals(other, selector.select(key(8)).choice());
        // A 5x5 kernel has another structure: no tuned entry applies, so the shipped default does.
        assertTrue(selector.select(fiveByFive()).source().contains("shipped"));
    }

    @Test
    void entriesSurviveAWriteAndARead() throws IOException {
        TuningFile file = new TuningFile(cache, NVIDIA);
        TuningKey transposed = TuningKey.of(ConvTranspose2d.builder(32, 16, 4)
                .stride(2)
                .padding(1)
                .build()
                .geometry(new int[] {2, 32, 9, 9}, null));
        List<TuningFile.Entry> entries = List.of(
                new TuningFile.Entry(key(56), KernelChoice.DIRECT, 1.25, "gemm:MWG=64", 2.5),
                new TuningFile.Entry(
                        transposed,
                        KernelChoice.gemm(new GemmParameters(16, 32, 8, 4, 8, false, true)),
                        0.5,
                        "direct",
                        0.75));
        file.write(entries);
        assertEquals(entries, file.read());
        assertTrue(Files.readString(file.path()).contains("\"format\": \"jconv-tuning/1\""));
        try (var leftovers = Files.list(file.path().getParent())) {
            assertEquals(1, leftovers.count(), "the atomic write leaves no temporary file");
        }
    }

    @Test
    void aCorruptTuningFileGivesOneWarningAndTheDefaults() throws IOException {
        TuningFile file = new TuningFile(cache, NVIDIA);
        Files.createDirectories(file.path().getParent());
        Files.writeString(file.path(), "{\"format\": \"jconv-tuning/1\", \"entries\": [tru");
        try (CapturedWarnings warnings = new CapturedWarnings(KernelSelector.class)) {
            KernelSelector selector = new KernelSelector(NVIDIA, LIMITS, cache);
            assertTrue(selector.select(key(56)).source().contains("shipped"));
            assertEquals(1, warnings.messages().size(), warnings.messages().toString());
            assertTrue(warnings.messages().get(0).contains(file.path().toString()));
        }
        // A file for another driver is refused the same way, not trusted.
        new TuningFile(cache, NVIDIA).write(List.of());
        DeviceInfo newDriver = new DeviceInfo(
                NVIDIA.id(),
                NVIDIA.name(),
                NVIDIA.vendor(),
                NVIDIA.platform(),
                NVIDIA.type(),
                NVIDIA.computeUnits(),
                NVIDIA.globalMemory(),
                NVIDIA.maxAllocation(),
                "driver 580");
        assertNotEquals(new TuningFile(cache, NVIDIA).path(), new TuningFile(cache, newDriver).path());
    }

    @Test
    void aForcedChoiceWinsAndIsChecked() {
        KernelSelector selector = new KernelSelector(POCL, LIMITS, cache);
        System.setProperty(KernelSelector.PROPERTY, "direct");
        assertEquals(KernelChoice.DIRECT, selector.select(key(56)).choice());
        System.setProperty(KernelSelector.PROPERTY, "gemm:MWG=16,NWG=16,KWG=8,MDIMC=4,NDIMC=4,SA=1,SB=1");
        KernelSelector.Selection forced = selector.select(key(56));
        assertEquals(
                new GemmParameters(16, 16, 8, 4, 4, true, true), forced.choice().gemm());
        assertTrue(forced.source().contains(KernelSelector.PROPERTY));
        System.setProperty(KernelSelector.PROPERTY, "gemm");
        assertEquals(
                KernelDefaults.gemmFor(POCL), selector.select(key(56)).choice().gemm());
        System.setProperty(KernelSelector.PROPERTY, "gemm:MWG=64,NWG=64,KWG=8,MDIMC=64,NDIMC=32,SA=0,SB=0");
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> selector.select(key(56)));
        assertTrue(tooBig.getMessage().contains("exceeds the device's 1024"), tooBig.getMessage());
        System.setProperty(KernelSelector.PROPERTY, "winograd");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> selector.select(key(56)));
        assertTrue(unknown.getMessage().contains("'winograd'"), unknown.getMessage());
    }

    /** A 5x5 layer: a structure neither shipped table holds. */
    private static TuningKey fiveByFive() {
        return TuningKey.of(Conv2d.builder(64, 64, 5).padding(2).build().geometry(new int[] {1, 64, 56, 56}));
    }

    /** A resnet-like 3x3 layer on a square image of {@code size}. */
    private static TuningKey key(int size) {
        Conv2dGeometry geometry = Conv2d.builder(64, 64, 3).padding(1).build().geometry(new int[] {1, 64, size, size});
        return TuningKey.of(geometry);
    }
}
