package dev.jconv.backend.java;

import dev.jconv.IntPair;
import dev.jconv.Padding;
import dev.jconv.PaddingMode;
import dev.jconv.geometry.Conv2dConfig;
import dev.jconv.geometry.Conv2dGeometry;
import dev.jconv.geometry.ConvTranspose2dConfig;
import dev.jconv.geometry.ConvTranspose2dGeometry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A developer's timing harness for the Java kernels over a workload CSV (the benchmark's format), printing the best
 * time and GFLOP/s per shape. Not a test: run it by hand, e.g.
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.jconv.backend.java.WorkloadTiming
 * /work/shared/bench/workload.csv [portable]}.
 */
public final class WorkloadTiming {

    private WorkloadTiming() {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        MicroKernel kernel = args.length > 1 && args[1].equals("portable") ? new PortableMicroKernel()
                : MicroKernels.selected();
        ParallelRunner runner = new ParallelRunner(Runtime.getRuntime().availableProcessors());
        System.out.println("kernel " + kernel.name() + ", " + runner.threads() + " threads");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int[] v = new int[f.length];
            for (int i = 2; i < f.length; i++) {
                v[i] = Integer.parseInt(f[i].trim());
            }
            int batch = v[2], in = v[3], height = v[4], width = v[5], out = v[6], k = v[7], stride = v[8];
            int padding = v[9], dilation = v[10], groups = v[11], outputPadding = v[12];
            int[] shape = {batch, in, height, width};
            SplittableRandom random = new SplittableRandom(1);
            Runnable call;
            long macs;
            if (f[1].equals("conv2d")) {
                Conv2dGeometry g = Conv2dGeometry.of(new Conv2dConfig(in, out, IntPair.of(k), IntPair.of(stride),
                        Padding.of(padding), IntPair.of(dilation), groups, true, PaddingMode.ZEROS), shape);
                float[] x = JavaBackendMatchesReferenceTest.uniform(random, g.inputElements());
                float[] w = JavaBackendMatchesReferenceTest.uniform(random, g.weightElements());
                float[] b = JavaBackendMatchesReferenceTest.uniform(random, g.outChannels());
                float[] y = new float[Math.toIntExact(g.outputElements())];
                call = () -> JavaConv2d.run(g, x, w, b, y, kernel, runner);
                macs = g.multiplyAdds();
            } else {
                ConvTranspose2dGeometry g = ConvTranspose2dGeometry.of(new ConvTranspose2dConfig(in, out,
                        IntPair.of(k), IntPair.of(stride), IntPair.of(padding), IntPair.of(outputPadding), groups,
                        true, IntPair.of(dilation)), shape, null);
                float[] x = JavaBackendMatchesReferenceTest.uniform(random, g.inputElements());
                float[] w = JavaBackendMatchesReferenceTest.uniform(random, g.weightElements());
                float[] b = JavaBackendMatchesReferenceTest.uniform(random, g.outChannels());
                float[] y = new float[Math.toIntExact(g.outputElements())];
                call = () -> JavaConvTranspose2d.run(g, x, w, b, y, kernel, runner);
                macs = g.multiplyAdds();
            }
            long best = Long.MAX_VALUE;
            long started = System.nanoTime();
            for (int rep = 0; rep < 5 || System.nanoTime() - started < 1_500_000_000L; rep++) {
                long t = System.nanoTime();
                call.run();
                best = Math.min(best, System.nanoTime() - t);
            }
            System.out.printf("%-16s %9.3f ms %8.1f GFLOP/s%n", f[0], best / 1e6, 2.0 * macs / best);
        }
    }
}
