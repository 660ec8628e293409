package dev.jconv;

import dev.jconv.backend.Backend;
import dev.jconv.backend.DeviceBuffer;
import dev.jconv.backend.OpBuffers;
import dev.jconv.geometry.Shapes;
import java.util.Arrays;

/**
 * How one op's data moves: a device-resident input runs in place and its output stays on the device; a host input
 * is uploaded, run and downloaded, in slices of the batch when the whole batch would not fit the device's memory.
 * Every temporary buffer has one owner here, and a failure leaves no output behind.
 */
final class OpExecution {

    /**
     * The share of a device's global memory one op may plan to use: the rest is left for the driver, other
     * tensors the caller keeps on the device, and other processes.
     */
    private static final double MEMORY_SHARE = 0.5;

    private OpExecution() {}

    static Tensor run(
            Device target,
            Tensor input,
            int batch,
            int[] outputShape,
            DeviceBuffer[] parameters,
            DeviceModule.BackendCall launch) {
        Backend backend = target.backend();
        int outputElements = Shapes.elementCount(outputShape);
        if (input.device() == target) {
            checkFits(target, outputShape, outputElements);
            DeviceBuffer output = backend.allocate(outputElements);
            try {
                if (outputElements > 0) {
                    launch.run(backend, batch, new OpBuffers(input.buffer(), parameters[0], parameters[1], output));
                }
            } catch (RuntimeException | Error e) {
                output.close();
                throw e;
            }
            return new Tensor(target, output, outputShape);
        }
        float[] result = new float[outputElements];
        if (outputElements > 0) {
            runInSlices(target, input, batch, outputShape, parameters, launch, result);
        }
        return Tensor.host(result, outputShape);
    }

    /** Uploads, runs and downloads as many images at a time as the device's limits allow. */
    private static void runInSlices(
            Device target,
            Tensor input,
            int batch,
            int[] outputShape,
            DeviceBuffer[] parameters,
            DeviceModule.BackendCall launch,
            float[] result) {
        Backend backend = target.backend();
        float[] inputData = input.hostData();
        int inputPerImage = inputData.length / Math.max(batch, 1);
        int outputPerImage = result.length / Math.max(batch, 1);
        int slice = imagesPerSlice(
                target.info(),
                input.shape(),
                outputShape,
                inputPerImage,
                outputPerImage,
                parameterFloats(parameters),
                batch);
        for (int first = 0; first < batch; first += slice) {
            int images = Math.min(slice, batch - first);
            boolean whole = images == batch;
            float[] sliceInput = whole
                    ? inputData
                    : Arrays.copyOfRange(inputData, first * inputPerImage, (first + images) * inputPerImage);
            float[] sliceOutput = whole ? result : new float[images * outputPerImage];
            try (DeviceBuffer deviceInput = backend.upload(sliceInput);
                    DeviceBuffer deviceOutput = backend.allocate(sliceOutput.length)) {
                launch.run(backend, images, new OpBuffers(deviceInput, parameters[0], parameters[1], deviceOutput));
                backend.download(deviceOutput, sliceOutput);
            }
            if (!whole) {
                System.arraycopy(sliceOutput, 0, result, first * outputPerImage, sliceOutput.length);
            }
        }
    }

    private static long parameterFloats(DeviceBuffer[] parameters) {
        long floats = 0;
        for (DeviceBuffer buffer : parameters) {
            floats += buffer == null ? 0 : buffer.length();
        }
        return floats;
    }

    /**
     * The most images per slice such that the input and output slices each fit one allocation and together (with
     * the parameters) fit the planned share of the device's memory.
     *
     * @throws IllegalArgumentException when not even one image fits, giving the sizes
     */
    static int imagesPerSlice(
            DeviceInfo device,
            int[] inputShape,
            int[] outputShape,
            long inputFloatsPerImage,
            long outputFloatsPerImage,
            long parameterFloats,
            int batch) {
        long inputBytes = inputFloatsPerImage * Float.BYTES;
        long outputBytes = outputFloatsPerImage * Float.BYTES;
        long budget = (long) (device.globalMemory() * MEMORY_SHARE) - parameterFloats * Float.BYTES;
        long byAllocation = Math.min(
                device.maxAllocation() / Math.max(inputBytes, 1), device.maxAllocation() / Math.max(outputBytes, 1));
        long byMemory = budget / Math.max(inputBytes + outputBytes, 1);
        long images = Math.min(batch, Math.min(byAllocation, byMemory));
        if (images < 1 && batch > 0) {
            throw new IllegalArgumentException("one image does not fit device " + device.id() + ": input "
                    + Shapes.format(inputShape) + " needs " + inputBytes + " bytes and output "
                    + Shapes.format(outputShape) + " " + outputBytes + " bytes per image, but the device allows "
                    + device.maxAllocation() + " bytes per buffer and " + budget + " bytes for this op ("
                    + (long) (MEMORY_SHARE * 100) + "% of " + device.globalMemory() + " bytes, less "
                    + parameterFloats * Float.BYTES + " bytes of parameters)");
        }
        return (int) Math.max(images, 1);
    }

    /**
     * A device-resident op cannot be sliced: its output must fit one buffer. Every call checks this, so the message is
     * built only when it fails.
     */
    private static void checkFits(Device target, int[] shape, long floats) {
        long bytes = floats * Float.BYTES;
        if (bytes > target.info().maxAllocation()) {
            throw new IllegalArgumentException(
                    "output " + Shapes.format(shape) + " needs " + bytes + " bytes, more than device " + target.id()
                            + " allows in one buffer (" + target.info().maxAllocation() + " bytes); run it from a host"
                            + " tensor so jconv can split the batch, or use a smaller batch");
        }
    }
}
