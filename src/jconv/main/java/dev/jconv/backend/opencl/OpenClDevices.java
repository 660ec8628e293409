package dev.jconv.backend.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetPlatformIDs;

import dev.jconv.DeviceInfo;
import dev.jconv.DeviceType;
import dev.jconv.backend.Backend;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds the OpenCL devices on this machine and opens backends on them. Discovery never throws: when OpenCL cannot be
 * used, {@link Discovery#problem()} says why and what to install, so {@code Devices} can fall back to Java with one
 * useful log line.
 *
 * <p>Device ids are {@code opencl:N}, numbered across all platforms in discovery order.
 *
 * <p>Kernel timing: a backend opened with profiling (the system property {@value #PROFILE_PROPERTY}{@code =true} when
 * the device opens, or {@link #open(DeviceInfo, boolean)}) uses a profiling queue, and its
 * {@link Backend#kernelNanos()} reports the device time of completed kernels, next to whatever wall time the caller
 * measures.
 */
public final class OpenClDevices {

    /**
     * System property: {@code true} opens OpenCL devices with a profiling queue (see {@link Backend#kernelNanos()}).
     */
    public static final String PROFILE_PROPERTY = "jconv.profile";

    /** CL_PLATFORM_NOT_FOUND_KHR: what the ICD loader returns when no vendor driver is registered. */
    private static final int PLATFORM_NOT_FOUND = -1001;

    private static List<DeviceHandle> handles = List.of();

    private OpenClDevices() {}

    /** What OpenCL offers on this machine, or why it offers nothing. Never throws. */
    public record Discovery(List<DeviceInfo> devices, String problem) {}

    /** Scans every platform; never throws, whatever the state of the OpenCL installation. */
    public static Discovery discover() {
        try {
            List<DeviceHandle> found = scan();
            synchronized (OpenClDevices.class) {
                handles = found;
            }
            List<DeviceInfo> devices = found.stream().map(DeviceHandle::info).toList();
            return new Discovery(devices, null);
        } catch (NoDeviceException e) {
            return new Discovery(List.of(), e.getMessage());
        } catch (Throwable e) {
            // Anything from the native layer (UnsatisfiedLinkError, a driver's CLException) means "no OpenCL here".
            return new Discovery(List.of(), explain(e));
        }
    }

    /** Opens {@code info} with profiling as the {@value #PROFILE_PROPERTY} system property says. */
    public static Backend open(DeviceInfo info) {
        return open(info, Boolean.getBoolean(PROFILE_PROPERTY));
    }

    /**
     * Opens a backend on a device that {@link #discover()} listed.
     *
     * @param profiling true for a profiling queue, so {@link Backend#kernelNanos()} reports kernel time
     * @throws IllegalArgumentException when the device was not listed by discovery
     * @throws OpenClException          when the driver refuses to create a context or queue
     */
    public static Backend open(DeviceInfo info, boolean profiling) {
        return new OpenClBackend(handleFor(info), profiling);
    }

    /** As {@link #open(DeviceInfo, boolean)}, keeping tuning files and program binaries in {@code cacheDirectory}. */
    static OpenClBackend open(DeviceInfo info, boolean profiling, java.nio.file.Path cacheDirectory) {
        return new OpenClBackend(handleFor(info), profiling, cacheDirectory);
    }

    private static synchronized DeviceHandle handleFor(DeviceInfo info) {
        for (DeviceHandle handle : handles) {
            if (handle.info().id().equals(info.id())) {
                return handle;
            }
        }
        throw new IllegalArgumentException("OpenCL device " + info.id() + " was not found by discovery");
    }

    private static List<DeviceHandle> scan() {
        CL.setExceptionsEnabled(true);
        cl_platform_id[] platforms = platforms();
        List<DeviceHandle> found = new ArrayList<>();
        List<String> emptyPlatforms = new ArrayList<>();
        for (cl_platform_id platform : platforms) {
            String platformName = DeviceQueries.platformString(platform, CL_PLATFORM_NAME);
            cl_device_id[] devices = devices(platform);
            if (devices.length == 0) {
                emptyPlatforms.add(platformName);
            }
            for (cl_device_id device : devices) {
                found.add(new DeviceHandle(describe(device, "opencl:" + found.size(), platformName), platform, device));
            }
        }
        if (found.isEmpty()) {
            throw new NoDeviceException("OpenCL platform(s) " + emptyPlatforms + " offer no device: the driver is"
                    + " installed but sees no hardware it supports (run `clinfo` to see what the drivers report;"
                    + " for CPU-only machines install `pocl-opencl-icd`)");
        }
        return found;
    }

    private static cl_platform_id[] platforms() {
        int[] count = new int[1];
        try {
            clGetPlatformIDs(0, null, count);
        } catch (CLException e) {
            if (e.getStatus() == PLATFORM_NOT_FOUND) {
                throw new NoDeviceException(noPlatformMessage());
            }
            throw e;
        }
        if (count[0] == 0) {
            throw new NoDeviceException(noPlatformMessage());
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        return platforms;
    }

    private static cl_device_id[] devices(cl_platform_id platform) {
        int[] count = new int[1];
        try {
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
        } catch (CLException e) {
            if (e.getStatus() == CL_DEVICE_NOT_FOUND) {
                return new cl_device_id[0];
            }
            throw e;
        }
        cl_device_id[] devices = new cl_device_id[count[0]];
        if (devices.length > 0) {
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, devices.length, devices, null);
        }
        return devices;
    }

    private static DeviceInfo describe(cl_device_id device, String id, String platformName) {
        return new DeviceInfo(
                id,
                DeviceQueries.deviceString(device, CL_DEVICE_NAME),
                DeviceQueries.deviceString(device, CL_DEVICE_VENDOR),
                platformName,
                typeOf(DeviceQueries.deviceLong(device, CL_DEVICE_TYPE)),
                DeviceQueries.deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS),
                DeviceQueries.deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE),
                DeviceQueries.deviceLong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                DeviceQueries.deviceString(device, CL_DEVICE_VERSION) + ", driver "
                        + DeviceQueries.deviceString(device, CL_DRIVER_VERSION));
    }

    static DeviceType typeOf(long clType) {
        if ((clType & CL_DEVICE_TYPE_GPU) != 0) {
            return DeviceType.GPU;
        }
        if ((clType & CL_DEVICE_TYPE_CPU) != 0) {
            return DeviceType.CPU;
        }
        if ((clType & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return DeviceType.ACCELERATOR;
        }
        return DeviceType.OTHER;
    }

    static String noPlatformMessage() {
        return "the OpenCL ICD loader found no platform: no OpenCL driver is installed (nothing registered in"
                + " /etc/OpenCL/vendors). Install one: `apt-get install pocl-opencl-icd` runs OpenCL on the CPU,"
                + " or install your GPU vendor's OpenCL driver";
    }

    /** The problem text for a failure that escaped the scan; package-private so tests can check each wording. */
    static String explain(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnsatisfiedLinkError || cause instanceof NoClassDefFoundError) {
                return "JOCL could not load the OpenCL library libOpenCL.so (" + cause.getMessage() + "). Install"
                        + " the ICD loader's development package, `apt-get install ocl-icd-opencl-dev` (only the"
                        + " -dev package provides the unversioned libOpenCL.so that JOCL loads), plus a driver such"
                        + " as `pocl-opencl-icd` (CPU) or your GPU vendor's OpenCL driver";
            }
            if (cause instanceof CLException clFailure) {
                return "OpenCL discovery failed: " + OpenClException.errorName(clFailure.getStatus()) + " ("
                        + clFailure.getStatus() + ")"
                        + (clFailure.getStatus() == PLATFORM_NOT_FOUND ? "; " + noPlatformMessage() : "");
            }
        }
        return "OpenCL discovery failed: " + failure;
    }

    /** A scan that worked but found nothing usable; its message is the discovery problem. */
    private static final class NoDeviceException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoDeviceException(String message) {
            super(message);
        }
    }
}
