package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import dev.jconv.files.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The kernel each kind of device runs when it has no tuning result for a shape, CLBlast-style: a shipped tuning
 * table for the device we own (PoCL), then rows by device type and vendor, then a generic default. Only parameter
 * records and their tables live here, never kernel logic.
 */
final class KernelDefaults {

    /** A shipped choice and the words the log line uses for where it came from. */
    record Default(KernelChoice choice, String source) {}

    /*
     * GPU rows come from public knowledge of these architectures, not from our own measurements (the one GPU jconv has
     * run on, an H200, has its shipped table below; this row serves the shapes of structures that table lacks).
     * CLBlast's published single-precision Xgemm database settles on 16 x 16 work-groups staging both operands in local
     * memory with KWG 16 for its NVIDIA default, on a 128 x 64 tile; here the long dimension is the pixels (NWG), so
     * the tile is 64 channels x 128 pixels (32 accumulators per work-item). AMD's 64-wide wavefronts get the same
     * work-group with a square 64 x 64 tile; Intel's integrated GPUs have smaller register files, so their tile is
     * halved. `jconv tune` replaces any of these with measurements on the user's device.
     */
    private static final GemmParameters NVIDIA = new GemmParameters(64, 128, 16, 16, 16, true, true);
    private static final GemmParameters AMD = new GemmParameters(64, 64, 16, 16, 16, true, true);
    private static final GemmParameters INTEL = new GemmParameters(32, 64, 16, 8, 16, true, true);
    /** Any other GPU (Oclgrind reports itself as one): small groups that every OpenCL GPU can run. */
    private static final GemmParameters GENERIC_GPU = new GemmParameters(32, 32, 8, 8, 8, true, true);
    /**
     * Where the GEMM kernel is forced on a CPU without parameters: no local memory (barriers are costly on CPU
     * drivers), 8 pixels per work-item across the vectorised dimension 0.
     */
    private static final GemmParameters CPU_GEMM = new GemmParameters(16, 64, 16, 1, 8, false, false);

    /**
     * Tuning tables measured with {@code jconv tune} and shipped in the jar, CLBlast's per-device database for the
     * devices we have run on: PoCL on the 2-core AVX-512 development machine, and an NVIDIA H200 (lent for three short
     * runs, 2026-11-30: a first tune found kernels 1.1-3.7 times faster than the NVIDIA row below on all 13 workload
     * shapes, a second tune from those 1.1-1.5 times more on 5 of them; a third found nothing beyond 1.1, and the
     * golden cases passed on the GPU with each table in effect). A table serves the devices of its kind; each is loaded
     * on first use.
     */
    enum ShippedTable {
        POCL_CPU("/dev/jconv/tuning/pocl-cpu.json", "shipped PoCL CPU table"),
        NVIDIA_GPU("/dev/jconv/tuning/nvidia-gpu.json", "shipped NVIDIA GPU table (measured on an H200)");

        final String resource;
        final String description;
        private List<TuningFile.Entry> entries;

        ShippedTable(String resource, String description) {
            this.resource = resource;
            this.description = description;
        }

        /** The table for {@code info}'s kind of device, or null. */
        static ShippedTable of(DeviceInfo info) {
            if (DriverWorkarounds.poclCpu(info)) {
                return POCL_CPU;
            }
            return info.type() == DeviceType.GPU && isNvidia(info) ? NVIDIA_GPU : null;
        }

        synchronized List<TuningFile.Entry> entries() {
            if (entries == null) {
                entries = load();
            }
            return entries;
        }

        private List<TuningFile.Entry> load() {
            try (InputStream stream = KernelDefaults.class.getResourceAsStream(resource)) {
                if (stream == null) {
                    return List.of();
                }
                return TuningFile.parse(Json.parse(new String(stream.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(
                        "the shipped tuning table " + resource + " is broken (the jar is damaged): " + e.getMessage(),
                        e);
            }
        }
    }

    private KernelDefaults() {}

    /**
     * The default for one shape: the shipped table's nearest tuned shape of the same structure where the device has a
     * table, else the device's row; depthwise layers keep the direct kernel on every device (see below).
     */
    static Default forShape(DeviceInfo info, TuningKey key) {
        ShippedTable table = ShippedTable.of(info);
        TuningFile.Entry tuned = table == null ? null : TuningFile.nearest(table.entries(), key);
        if (tuned != null) {
            return new Default(
                    tuned.choice(),
                    table.description + " (" + table.resource + "), "
                            + (tuned.key().equals(key) ? "this shape" : "nearest tuned shape " + tuned.key()));
        }
        Default device = forDevice(info);
        if (key.depthwise() && device.choice().variant() != KernelChoice.Variant.DIRECT) {
            // One output channel per group leaves all but one row of every MWG-row GEMM tile idle; the direct
            // depthwise kernel keeps each channel's taps in registers instead.
            return new Default(KernelChoice.DIRECT, device.source() + ", direct kernel for depthwise layers");
        }
        return device;
    }

    static Default forDevice(DeviceInfo info) {
        if (info.type() == DeviceType.CPU) {
            // Measured on PoCL 3.1 (2-core AVX-512): the direct kernels beat every GEMM parameter set the tuner found
            // on the public workload, so CPUs keep them.
            return new Default(KernelChoice.DIRECT, "shipped CPU defaults");
        }
        if (info.type() != DeviceType.GPU) {
            return new Default(KernelChoice.DIRECT, "heuristics (no defaults for " + info.type() + " devices)");
        }
        String vendor = info.vendor().toLowerCase(Locale.ROOT);
        if (isNvidia(info)) {
            return new Default(KernelChoice.gemm(NVIDIA), "shipped defaults for NVIDIA GPUs");
        }
        if (vendor.contains("advanced micro devices") || vendor.contains("amd")) {
            return new Default(KernelChoice.gemm(AMD), "shipped defaults for AMD GPUs");
        }
        if (vendor.contains("intel")) {
            return new Default(KernelChoice.gemm(INTEL), "shipped defaults for Intel GPUs");
        }
        return new Default(KernelChoice.gemm(GENERIC_GPU), "shipped defaults for GPUs of other vendors");
    }

    private static boolean isNvidia(DeviceInfo info) {
        return info.vendor().toLowerCase(Locale.ROOT).contains("nvidia");
    }

    /** The GEMM parameters used when the GEMM kernel is asked for by name without parameters. */
    static GemmParameters gemmFor(DeviceInfo info) {
        Default shipped = forDevice(info);
        return shipped.choice().gemm() != null ? shipped.choice().gemm() : CPU_GEMM;
    }
}
