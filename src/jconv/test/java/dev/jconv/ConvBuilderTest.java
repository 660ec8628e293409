package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The builders' two ways to ask for a non-square kernel give one module, printed as PyTorch prints it. */
class ConvBuilderTest {

    @Test
    void kernelPairEqualsKernelSizeCall() {
        Conv2d fromPair = Conv2d.builder(3, 8, IntPair.of(3, 5)).build();
        Conv2d fromCall = Conv2d.builder(3, 8, 1).kernelSize(3, 5).build();
        assertEquals(fromCall.config(), fromPair.config());
        assertEquals("Conv2d(3, 8, kernel_size=(3, 5), stride=(1, 1))", fromPair.toString());

        ConvTranspose2d transposedFromPair =
                ConvTranspose2d.builder(3, 8, IntPair.of(3, 5)).build();
        ConvTranspose2d transposedFromCall =
                ConvTranspose2d.builder(3, 8, 1).kernelSize(3, 5).build();
        assertEquals(transposedFromCall.config(), transposedFromPair.config());
        assertEquals("ConvTranspose2d(3, 8, kernel_size=(3, 5), stride=(1, 1))", transposedFromPair.toString());
    }
}
