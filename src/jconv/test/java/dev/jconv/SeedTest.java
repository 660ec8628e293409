package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded initialisation: a builder's {@code seed} and {@link Jconv#manualSeed} give the same parameters every run, and
 * without either every module gets fresh random ones, as in PyTorch.
 */
class SeedTest {

    @AfterEach
    void unseed() {
        Jconv.clearManualSeed();
    }

    private static float[] parameters(ConvModule<?, ?> module) {
        float[] weight = module.weight().toArray();
        float[] bias = module.bias().toArray();
        float[] all = Arrays.copyOf(weight, weight.length + bias.length);
        System.arraycopy(bias, 0, all, weight.length, bias.length);
        return all;
    }

    @Test
    void theSameBuilderSeedGivesTheSameParametersAndAnotherSeedOthers() {
        Conv2d a = Conv2d.builder(4, 6, 3).seed(7).device(Device.java()).build();
        Conv2d b = Conv2d.builder(4, 6, 3).seed(7).device(Device.java()).build();
        Conv2d c = Conv2d.builder(4, 6, 3).seed(8).device(Device.java()).build();
        assertArrayEquals(parameters(a), parameters(b));
        assertFalse(Arrays.equals(parameters(a), parameters(c)), "seeds 7 and 8 gave the same parameters");
        ConvTranspose2d up1 =
                ConvTranspose2d.builder(6, 4, 3).seed(7).device(Device.java()).build();
        ConvTranspose2d up2 =
                ConvTranspose2d.builder(6, 4, 3).seed(7).device(Device.java()).build();
        assertArrayEquals(parameters(up1), parameters(up2));
    }

    @Test
    void aSeedGivesFixedNumbersSoTwoRunsOrTwoMachinesAgree() {
        // Pinned values: they change only if the initialisation itself changes, which would break users' seeded runs.
        float[] weight = Conv2d.builder(1, 1, 2)
                .seed(42)
                .device(Device.java())
                .build()
                .weight()
                .toArray();
        // fan_in 4: uniform in +-0.5 from SplittableRandom(42).
        assertArrayEquals(new float[] {0.24156488f, -0.34008962f, -0.22139888f, -0.15580928f}, weight);
    }

    @Test
    void manualSeedMakesASequenceOfModulesRepeatable() {
        Jconv.manualSeed(123);
        float[] first = parameters(new Conv2d(3, 3, 3));
        float[] second = parameters(new Conv2d(3, 3, 3));
        float[] transposed = parameters(new ConvTranspose2d(3, 3, 3));
        assertFalse(Arrays.equals(first, second), "two modules in one seeded program must differ, as in PyTorch");

        Jconv.manualSeed(123);
        assertArrayEquals(first, parameters(new Conv2d(3, 3, 3)));
        assertArrayEquals(second, parameters(new Conv2d(3, 3, 3)));
        assertArrayEquals(transposed, parameters(new ConvTranspose2d(3, 3, 3)));
    }

    @Test
    void aModuleSeedIgnoresTheGlobalStreamAndFusingDoesNotAdvanceIt() {
        Jconv.manualSeed(5);
        float[] own = parameters(Conv2d.builder(3, 3, 3).seed(9).build());
        float[] next = parameters(new Conv2d(3, 3, 3));
        Jconv.manualSeed(5);
        Conv2d.builder(2, 2, 1).seed(1).build().fuse(null, Activation.RELU);
        assertArrayEquals(
                next,
                parameters(new Conv2d(3, 3, 3)),
                "a seeded module or a fused copy must not consume the process-wide stream");
        assertArrayEquals(own, parameters(Conv2d.builder(3, 3, 3).seed(9).build()));
    }

    @Test
    void withoutASeedEveryModuleIsFreshlyRandom() {
        assertFalse(Arrays.equals(parameters(new Conv2d(3, 3, 3)), parameters(new Conv2d(3, 3, 3))));
        Jconv.manualSeed(1);
        Jconv.clearManualSeed();
        float[] a = parameters(new Conv2d(3, 3, 3));
        Jconv.manualSeed(1);
        Jconv.clearManualSeed();
        assertFalse(Arrays.equals(a, parameters(new Conv2d(3, 3, 3))), "clearManualSeed must restore random init");
        assertEquals(27 * 3 + 3, a.length);
    }
}
