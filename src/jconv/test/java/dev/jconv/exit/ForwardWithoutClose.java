package dev.jconv.exit;

import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Tensor;

/**
 * A program that runs the seed layers and returns from main without closing anything, as a user's first program
 * would; the tests in this package run it in a child JVM to watch its start-up line and how long the JVM takes to
 * exit.
 */
public final class ForwardWithoutClose {

    private ForwardWithoutClose() {}

    /**
     * @param args a device selection ({@code java}, {@code auto}, ...), or {@code default} to leave the choice to the
     *             modules (the configured device, else auto), as code that never names a device does
     */
    public static void main(String[] args) {
        String selection = args.length > 0 ? args[0] : "default";
        Tensor x = Tensor.of(new float[128 * 16 * 16], 1, 128, 16, 16);
        Conv2d conv = new Conv2d(128, 64, 4, 2, 1);
        ConvTranspose2d up = new ConvTranspose2d(128, 64, 4, 2, 1);
        if (!selection.equals("default")) {
            Device device = Device.select(selection);
            conv.to(device);
            up.to(device);
        }
        Tensor y = conv.forward(x);
        Tensor z = up.forward(x);
        System.out.println("forward done: " + y + " " + z);
    }
}
