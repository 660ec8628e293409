package dev.jconv.backend.opencl;

import dev.jconv.DeviceInfo;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** One OpenCL device found by discovery: what jconv reports about it and the driver handles needed to open it. */
record DeviceHandle(DeviceInfo info, cl_platform_id platform, cl_device_id device) {}
