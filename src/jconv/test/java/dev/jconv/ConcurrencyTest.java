package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Modules and devices shared between threads: 8 threads call forward on shared modules, host and device-resident,
 * and every result must equal the single-threaded one bit for bit.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 40;
    private static final int INPUTS = 4;

    @TestFactory
    Stream<DynamicTest> sharedModulesGiveBitIdenticalResults() {
        return TestDevices.onEachDevice(ConcurrencyTest::run);
    }

    private static void run(Device device) throws Exception {
        try (Conv2d conv = Conv2d.builder(4, 6, 3)
                        .padding(1)
                        .groups(2)
                        .paddingMode(PaddingMode.REFLECT)
                        .device(device)
                        .build();
                ConvTranspose2d up = ConvTranspose2d.builder(6, 4, 4)
                        .stride(2)
                        .padding(1)
                        .device(device)
                        .build()) {
            Tensor[] inputs = new Tensor[INPUTS];
            float[][] expected = new float[INPUTS][];
            for (int i = 0; i < INPUTS; i++) {
                inputs[i] = Comparison.randomTensor(i, 2, 4, 9, 11);
                expected[i] = up.forward(conv.forward(inputs[i])).toArray();
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    int first = thread;
                    results.add(pool.submit(() -> {
                        int checked = 0;
                        for (int call = 0; call < CALLS_PER_THREAD; call++) {
                            int which = (first + call) % INPUTS;
                            float[] actual;
                            if (call % 2 == 0) {
                                actual = up.forward(conv.forward(inputs[which])).toArray();
                            } else {
                                try (Tensor x = inputs[which].to(device);
                                        Tensor hidden = conv.forward(x);
                                        Tensor y = up.forward(hidden)) {
                                    actual = y.toArray();
                                }
                            }
                            assertArrayEquals(expected[which], actual, "thread " + first + " call " + call);
                            checked++;
                        }
                        return checked;
                    }));
                }
                int total = 0;
                for (Future<Integer> result : results) {
                    total += result.get();
                }
                assertEquals(THREADS * CALLS_PER_THREAD, total);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
