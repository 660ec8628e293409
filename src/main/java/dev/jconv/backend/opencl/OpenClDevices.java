package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import dev.jconv.backend.Backend;
import java.util.List;

/** Placeholder until the OpenCL backend lands: reports OpenCL as unavailable. */
public final class OpenClDevices {

    private OpenClDevices() {
    }

    /** What OpenCL offers on this machine, or why it offers nothing. Never throws. */
    public record Discovery(List<DeviceInfo> devices, String problem) {
    }

    public static Discovery discover() {
        return new Discovery(List.of(), "the OpenCL backend is not built into this version");
    }

    public static Backend open(DeviceInfo info) {
        throw new IllegalStateException("the OpenCL backend is not built into this version");
    }
}
