package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;

import org.jocl.cl_device_id;

/** The device limits that decide whether a kernel parameter set can run at all, read once per backend. */
record DeviceLimits(long maxWorkGroupSize, long localMemoryBytes) {

    static DeviceLimits of(cl_device_id device) {
        return new DeviceLimits(
                DeviceQueries.deviceSize(device, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                DeviceQueries.deviceLong(device, CL_DEVICE_LOCAL_MEM_SIZE));
    }
}
