package dev.jconv.exit;

import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Tensor;

/**
 * A program that runs the seed layers and returns from main without closing anything, as a user's first program
 * would; {@code WorkerThreadsTest} runs it in a child JVM and times how long that JVM takes to exit.
 */
public final class ForwardWithoutClose {

    private ForwardWithoutClose() {
    }

    /** @param args the device selection, e.g. {@code java} or {@code auto} */
    public static void main(String[] args) {
        Device device = Device.select(args.length > 0 ? args[0] : "java");
        Tensor x = Tensor.of(new float[128 * 16 * 16], 1, 128, 16, 16);
        Tensor y = new Conv2d(128, 64, 4, 2, 1).to(device).forward(x);
        Tensor z = new ConvTranspose2d(128, 64, 4, 2, 1).to(device).forward(x);
        System.out.println("forward done: " + y + " " + z);
    }
}
