package dev.jconv;

/** The kind of processor behind a device; {@code auto} prefers GPU, then other OpenCL kinds, then JAVA. */
public enum DeviceType {
    GPU,
    CPU,
    ACCELERATOR,
    OTHER,
    JAVA
}
