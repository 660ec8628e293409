package dev.jconv.bench;

import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A by-hand timing harness (not a test): runs each shape of a workload CSV on one device with device-resident
 * tensors and prints the median wall time per op and, on a profiling OpenCL queue, the median kernel-only time.
 *
 * <pre>java -Djconv.profile=true -cp ... dev.jconv.bench.WorkloadTiming /work/shared/bench/workload.csv opencl 20</pre>
 */
public final class WorkloadTiming {

    private WorkloadTiming() {
    }

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        Device device = Device.select(args.length > 1 ? args[1] : "opencl");
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String only = args.length > 3 ? args[3] : null;
        String[] header = lines.get(0).split(",");
        System.out.printf("%-18s %10s %10s %8s%n", "shape", "wall ms", "kernel ms", "GFLOP/s");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            if (only != null && !cells[0].matches(only)) {
                continue;
            }
            time(device, header, cells, repeats);
        }
        device.close();
    }

    private static void time(Device device, String[] header, String[] cells, int repeats) {
        List<String> names = Arrays.asList(header);
        Function<String, Integer> cell = name -> Integer.parseInt(cells[names.indexOf(name)]);
        int batch = cell.apply("batch");
        int inChannels = cell.apply("in_channels");
        int outChannels = cell.apply("out_channels");
        int kernel = cell.apply("kernel");
        int stride = cell.apply("stride");
        int padding = cell.apply("padding");
        int dilation = cell.apply("dilation");
        int groups = cell.apply("groups");
        int[] inputShape = {batch, inChannels, cell.apply("height"), cell.apply("width")};
        boolean transposed = cells[names.indexOf("op")].equals("conv_transpose2d");
        float[] data = new float[Arrays.stream(inputShape).reduce(1, (a, b) -> a * b)];
        Random random = new Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() - 0.5f;
        }
        Function<Tensor, Tensor> forward;
        long multiplyAdds;
        if (transposed) {
            ConvTranspose2d module = ConvTranspose2d.builder(inChannels, outChannels, kernel).stride(stride)
                    .padding(padding).dilation(dilation).groups(groups)
                    .outputPadding(cell.apply("output_padding")).device(device).build();
            forward = module::forward;
            multiplyAdds = module.geometry(inputShape, null).multiplyAdds();
        } else {
            Conv2d module = Conv2d.builder(inChannels, outChannels, kernel).stride(stride).padding(padding)
                    .dilation(dilation).groups(groups).device(device).build();
            forward = module::forward;
            multiplyAdds = module.geometry(inputShape).multiplyAdds();
        }
        try (Tensor input = Tensor.of(data, inputShape).to(device)) {
            for (int i = 0; i < 3; i++) {
                forward.apply(input).close();
            }
            device.synchronize();
            long[] wall = new long[repeats];
            long[] kernelTime = new long[repeats];
            for (int i = 0; i < repeats; i++) {
                long kernelBefore = device.backend().kernelNanos();
                long start = System.nanoTime();
                Tensor output = forward.apply(input);
                device.synchronize();
                wall[i] = System.nanoTime() - start;
                kernelTime[i] = device.backend().kernelNanos() - kernelBefore;
                output.close();
            }
            Arrays.sort(wall);
            Arrays.sort(kernelTime);
            double wallMs = wall[repeats / 2] / 1e6;
            System.out.printf("%-18s %10.3f %10.3f %8.1f%n", cells[0], wallMs,
                    device.backend().kernelNanos() < 0 ? Double.NaN : kernelTime[repeats / 2] / 1e6,
                    2.0 * multiplyAdds / (wallMs * 1e6));
        }
    }
}
