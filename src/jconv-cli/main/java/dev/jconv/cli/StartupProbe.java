package dev.jconv.cli;

import dev.jconv.Conv2d;
import dev.jconv.ConvModule;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One fresh process of {@code jconv startup} ({@link StartupCommand} starts it): the seed's two layers as a new user
 * runs them, through the public API only, timed from the first line of main to the first result of both layers; then
 * each given input size, never seen by these modules, conv and convT in turn. Prints one line for the parent:
 * {@code startup-probe first_ms=... jvm_ms=... sizes_ms=a,b,...}.
 *
 * <p>It uses only API that existed before the start-up work (apart from the {@code prepare} mode), so it can also
 * time an older build: {@code jconv startup --classpath OLD.jar:NEW.jar} runs it on the old build's classes.
 *
 * <p>Arguments: device selection, mode ({@code plain}, or {@code prepare-threads}: both modules prepared on two
 * threads before the first forward), comma-separated input sizes (may be empty).
 */
public final class StartupProbe {

    static final String PREFIX = "startup-probe ";

    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/jconv/cli/logback-cli.xml");
        }
        Device device = Device.select(args[0]);
        boolean prepareOnThreads = args[1].equals("prepare-threads");
        Conv2d conv = new Conv2d(128, 64, 4, 2, 1).to(device);
        ConvTranspose2d up = new ConvTranspose2d(128, 64, 4, 2, 1).to(device);
        if (prepareOnThreads) {
            prepareTogether(List.of(conv, up), 1, 128, 16, 16);
        }
        Tensor x = Tensor.of(random(128 * 16 * 16), 1, 128, 16, 16).to(device);
        float[] y = conv.forward(x).toArray();
        float[] z = up.forward(x).toArray();
        double firstMillis = (System.nanoTime() - start) / 1e6;
        long jvmMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        List<String> sizeMillis = new ArrayList<>();
        for (String size : args.length > 2 && !args[2].isEmpty() ? args[2].split(",") : new String[0]) {
            int side = Integer.parseInt(size);
            Tensor input =
                    Tensor.of(random(128 * side * side), 1, 128, side, side).to(device);
            long sizeStart = System.nanoTime();
            conv.forward(input).toArray();
            up.forward(input).toArray();
            sizeMillis.add(String.format(Locale.ROOT, "%.1f", (System.nanoTime() - sizeStart) / 1e6));
        }
        // The outputs are used, so nothing above can be skipped.
        if (y.length != 64 * 8 * 8 || z.length != 64 * 32 * 32) {
            throw new AssertionError("unexpected output sizes " + y.length + ", " + z.length);
        }
        System.out.println(PREFIX
                + String.format(
                        Locale.ROOT,
                        "first_ms=%.1f jvm_ms=%d sizes_ms=%s",
                        firstMillis,
                        jvmMillis,
                        String.join(",", sizeMillis)));
        System.out.flush();
        // Closed as a well-behaved program closes it: OpenCL resources go, and queued cache writes finish.
        device.close();
        System.exit(0);
    }

    /** Builds both modules' programs on two threads at once: what a server can do at start-up. */
    private static void prepareTogether(List<ConvModule<?, ?>> modules, int... inputShape) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(modules.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (ConvModule<?, ?> module : modules) {
                done.add(threads.submit(() -> module.prepare(inputShape)));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    private static float[] random(int count) {
        SplittableRandom random = new SplittableRandom(count);
        float[] values = new float[count];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
