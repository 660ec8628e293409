package dev.jconv.backend.java;

import dev.jconv.IntPair;
import dev.jconv.PaddingMode;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import dev.jconv.geometry.KernelWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * ConvTranspose2d forward on the heap as a gather, split into sub-pixel phases. Outputs whose row is {@code ry} and
 * column is {@code rx} modulo the stride are reached only through a fixed subset of kernel taps, each at a fixed
 * input shift, so each phase is an ordinary correlation over the low-resolution input: an implicit GEMM that does
 * only multiply-adds that can be non-zero. Every output element belongs to exactly one phase and is written by
 * exactly one task, so there are no atomics and results are deterministic. With kernel == stride (and dilation 1)
 * each phase has one tap and is a plain matrix product. All phases run as one parallel job; their weight matrices
 * are built in one pass on a module's first call and kept with its weight, so later calls allocate no large arrays.
 */
final class JavaConvTranspose2d {

    /** Input channels per task of the weight rearrangement. */
    private static final int WEIGHT_CHUNK = 64;

    private JavaConvTranspose2d() {}

    /** One stride phase: its taps per axis, its grid, and where its A matrix starts in the shared weight buffer. */
    private record Phase(
            int rowPhase,
            int columnPhase,
            int[] rowTaps,
            int[] columnTaps,
            int gridHeight,
            int gridWidth,
            int weightsOffset) {}

    static void run(
            ConvTranspose2dGeometry g, Operands data, MicroKernel kernel, ParallelRunner runner, BMatrixSource source) {
        List<Phase> phases = phases(g);
        float[] phaseWeights = data.derivedWeight(
                PhaseWeightsKey.of(g, phases), () -> rearrangeWeights(g, data.weight(), phases, runner));
        // Each phase splits into tasks of its own, two per thread, rather than one phase per thread: the phases'
        // outputs interleave, so two threads on different phases write the same cache lines, while the tasks of one
        // phase write disjoint rows (measured with 2 threads: dcgan_T1 7.5 -> 6.6 ms, the other shapes unchanged).
        int wantedTasksPerPhase = 2 * runner.threads();
        Axis rowAxis = rowAxis(g);
        Axis columnAxis = columnAxis(g);
        InPlacePadding rows = null;
        InPlacePadding columns = null;
        PaddedInput padded = null;
        if (readsInPlace(g, source)) {
            rows = InPlacePadding.of(rowAxis, phases, Phase::rowPhase, Phase::rowTaps);
            columns = InPlacePadding.of(columnAxis, phases, Phase::columnPhase, Phase::columnTaps);
            padded = PaddedInput.of(
                    data.input(),
                    g.batch(),
                    g.inChannels(),
                    g.inHeight(),
                    g.inWidth(),
                    rows.before(),
                    rows.after(),
                    columns.before(),
                    columns.after(),
                    PaddingMode.ZEROS,
                    IntPair.of(1),
                    runner);
        }
        List<ImplicitGemm> products = new ArrayList<>(phases.size());
        for (Phase phase : phases) {
            int[] rowSource = rowAxis.transposedPhase(phase.rowPhase(), phase.rowTaps());
            int[] columnSource = columnAxis.transposedPhase(phase.columnPhase(), phase.columnTaps());
            GatherGemm.Taps taps =
                    new GatherGemm.Taps(phase.rowTaps().length, phase.columnTaps().length, rowSource, columnSource);
            // The phase's pixels are every stride-th output, starting at the phase's offset.
            GatherGemm.OutputGrid grid = new GatherGemm.OutputGrid(
                    phase.gridHeight(),
                    phase.gridWidth(),
                    phase.rowPhase() * g.outWidth() + phase.columnPhase(),
                    g.strideHeight() * g.outWidth(),
                    g.strideWidth());
            GatherGemm problem = new GatherGemm(
                    g.sizes(), g.activation(), phaseWeights, phase.weightsOffset(), data.bias(), taps, grid);
            ImplicitGemm.InPlace inPlace = padded == null
                    ? null
                    : ImplicitGemm.InPlace.of(
                            padded,
                            rows.shifts(phase.rowPhase(), phase.rowTaps()),
                            columns.shifts(phase.columnPhase(), phase.columnTaps()));
            products.add(new ImplicitGemm(problem, kernel, inPlace, wantedTasksPerPhase));
        }
        ImplicitGemm.runAll(products, data.input(), data.output(), runner);
    }

    /** The rows of {@code g}: the transposed op pads both ends alike, by its padding's height. */
    private static Axis rowAxis(ConvTranspose2dGeometry g) {
        return Axis.rows(g, g.padding().height());
    }

    /** The columns of {@code g}, padded at both ends by its padding's width. */
    private static Axis columnAxis(ConvTranspose2dGeometry g) {
        return Axis.columns(g, g.padding().width());
    }

    /** True when this call's B is read in place from a zero-padded copy of the input rather than packed. */
    static boolean readsInPlace(ConvTranspose2dGeometry g, BMatrixSource source) {
        Axis rows = rowAxis(g);
        Axis columns = columnAxis(g);
        int narrowestGrid = columns.phaseSize(g.strideWidth() - 1);
        int mostTaps = 0;
        for (int rowPhase = 0; rowPhase < g.strideHeight(); rowPhase++) {
            for (int columnPhase = 0; columnPhase < g.strideWidth(); columnPhase++) {
                mostTaps = Math.max(mostTaps, rows.phaseTaps(rowPhase).length * columns.phaseTaps(columnPhase).length);
            }
        }
        return source.readsInPlace(narrowestGrid, mostTaps);
    }

    /**
     * Along one axis, the zero padding that lets every phase read its taps in place (grid coordinate q reads input
     * {@code q + shift}, which may fall before 0 or past the end), and each tap's shift in padded coordinates.
     */
    private record InPlacePadding(Axis axis, int before, int after) {

        static InPlacePadding of(
                Axis axis, List<Phase> phases, ToIntFunction<Phase> phaseOf, Function<Phase, int[]> tapsOf) {
            int before = 0;
            int after = 0;
            for (Phase phase : phases) {
                int phaseIndex = phaseOf.applyAsInt(phase);
                for (int tap : tapsOf.apply(phase)) {
                    int shift = axis.transposedShift(phaseIndex, tap);
                    before = Math.max(before, -shift);
                    after = Math.max(after, axis.phaseSize(phaseIndex) - 1 + shift - (axis.inSize() - 1));
                }
            }
            return new InPlacePadding(axis, before, after);
        }

        int[] shifts(int phase, int[] taps) {
            int[] shifts = new int[taps.length];
            for (int t = 0; t < taps.length; t++) {
                shifts[t] = before + axis.transposedShift(phase, taps[t]);
            }
            return shifts;
        }
    }

    /** The phases that own at least one output element, in row-major phase order. */
    private static List<Phase> phases(ConvTranspose2dGeometry g) {
        List<Phase> phases = new ArrayList<>();
        int weightsOffset = 0;
        Axis rows = rowAxis(g);
        Axis columns = columnAxis(g);
        for (int rowPhase = 0; rowPhase < g.strideHeight(); rowPhase++) {
            int gridHeight = rows.phaseSize(rowPhase);
            int[] rowTaps = rows.phaseTaps(rowPhase);
            for (int columnPhase = 0; columnPhase < g.strideWidth() && gridHeight > 0; columnPhase++) {
                int gridWidth = columns.phaseSize(columnPhase);
                if (gridWidth == 0) {
                    continue;
                }
                int[] columnTaps = columns.phaseTaps(columnPhase);
                Phase phase =
                        new Phase(rowPhase, columnPhase, rowTaps, columnTaps, gridHeight, gridWidth, weightsOffset);
                phases.add(phase);
                weightsOffset += weightsLength(g, phase);
            }
        }
        return phases;
    }

    private static int weightsLength(ConvTranspose2dGeometry g, Phase phase) {
        return g.groups()
                * g.outChannelsPerGroup()
                * g.inChannelsPerGroup()
                * phase.rowTaps().length
                * phase.columnTaps().length;
    }

    /**
     * What the phases' weight matrices depend on besides the weight itself: the channels, the kernel window and
     * padding, and which phases own outputs (an output smaller than the stride leaves some phases empty).
     */
    private record PhaseWeightsKey(
            int inChannels, int outChannels, int groups, KernelWindow window, IntPair padding, List<Integer> phases) {

        static PhaseWeightsKey of(ConvTranspose2dGeometry g, List<Phase> phases) {
            return new PhaseWeightsKey(
                    g.inChannels(),
                    g.outChannels(),
                    g.groups(),
                    g.window(),
                    g.padding(),
                    phases.stream()
                            .map(phase -> phase.rowPhase() * g.strideWidth() + phase.columnPhase())
                            .toList());
        }
    }

    /**
     * Every phase's A matrix per group, in a new array: row {@code out} holds, for each (in channel, row tap, column
     * tap) in B's order, the weight {@code W[in, out, rowTaps[t], columnTaps[u]]} of PyTorch's layout [in, out/groups,
     * kH, kW]. Input channels are split across the pool and read in memory order (out innermost), each chunk once per
     * phase while it is in cache. The result is kept on the weight's buffer (see {@link Operands#derivedWeight}), so
     * a module pays for this once, not on every call.
     */
    private static float[] rearrangeWeights(
            ConvTranspose2dGeometry g, float[] weight, List<Phase> phases, ParallelRunner runner) {
        Phase last = phases.get(phases.size() - 1);
        float[] phaseWeights = new float[last.weightsOffset() + weightsLength(g, last)];
        int outPerGroup = g.outChannelsPerGroup();
        int inPerGroup = g.inChannelsPerGroup();
        int kernelArea = g.kernelHeight() * g.kernelWidth();
        runner.forEach(ImplicitGemm.ceilDiv(g.inChannels(), WEIGHT_CHUNK), task -> {
            // Phase by phase over the task's chunk of input channels, which stays in cache for every phase.
            for (Phase phase : phases) {
                int[] rowTaps = phase.rowTaps();
                int[] columnTaps = phase.columnTaps();
                int taps = rowTaps.length * columnTaps.length;
                int depth = inPerGroup * taps;
                for (int in = task * WEIGHT_CHUNK; in < Math.min(g.inChannels(), (task + 1) * WEIGHT_CHUNK); in++) {
                    int group = in / inPerGroup;
                    int channel = in % inPerGroup;
                    for (int out = 0; out < outPerGroup; out++) {
                        int source = (in * outPerGroup + out) * kernelArea;
                        int destination = phase.weightsOffset() + (group * outPerGroup + out) * depth + channel * taps;
                        for (int rowTap : rowTaps) {
                            for (int columnTap : columnTaps) {
                                phaseWeights[destination++] = weight[source + rowTap * g.kernelWidth() + columnTap];
                            }
                        }
                    }
                }
            }
        });
        return phaseWeights;
    }
}
