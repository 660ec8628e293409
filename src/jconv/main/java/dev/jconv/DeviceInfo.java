package dev.jconv;

/**
 * What one device is, as {@code jconv devices} lists it: its id for selection ({@code java}, {@code opencl:0}), what
 * the driver calls it, and the limits that decide what fits.
 *
 * @param id             the selection id: {@code java} or {@code opencl:N}
 * @param name           the device's name as its driver reports it
 * @param vendor         the device vendor
 * @param platform       the OpenCL platform name ({@code "JVM"} for the Java backend)
 * @param type           what kind of processor runs the work
 * @param computeUnits   parallel compute units (cores for the Java backend)
 * @param globalMemory   bytes of device memory (the JVM's max heap for Java)
 * @param maxAllocation  the largest single buffer in bytes
 * @param version        the driver's version string
 */
public record DeviceInfo(
        String id,
        String name,
        String vendor,
        String platform,
        DeviceType type,
        int computeUnits,
        long globalMemory,
        long maxAllocation,
        String version) {

    /** One line for logs: {@code opencl:0 "cpu-haswell" (CPU, Portable Computing Language, 2 compute units)}. */
    public String summary() {
        return id + " \"" + name + "\" (" + type + ", " + platform + ", " + computeUnits + " compute units)";
    }
}
