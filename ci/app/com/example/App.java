package com.example;

import dev.jconv.Conv2d;
import dev.jconv.ConvTranspose2d;
import dev.jconv.Device;
import dev.jconv.Tensor;
import java.util.Arrays;

/**
 * An application outside jconv's build that uses the library as a user does (ci/app-check.sh compiles it with plain
 * javac against the installed jar and runs it with no JVM flags): the README's seed example, on the device jconv picks.
 */
public final class App {
    public static void main(String[] args) {
        Device device = Device.auto();
        Conv2d conv = Conv2d.builder(128, 64, 4).stride(2).padding(1).seed(1).build().to(device);
        ConvTranspose2d convT = ConvTranspose2d.builder(128, 64, 4).stride(2).padding(1).seed(2).build().to(device);
        float[] data = new float[128 * 16 * 16];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) Math.sin(i * 0.01);
        }
        Tensor x = Tensor.of(data, 1, 128, 16, 16).to(device);
        Tensor y = conv.forward(x);
        Tensor z = convT.forward(x);
        System.out.println("conv2d " + Arrays.toString(y.shape()) + " sum " + sum(y.toArray()));
        System.out.println("convTranspose2d " + Arrays.toString(z.shape()) + " sum " + sum(z.toArray()));
    }

    private static double sum(float[] values) {
        double total = 0;
        for (float v : values) {
            total += v;
        }
        return total;
    }
}
