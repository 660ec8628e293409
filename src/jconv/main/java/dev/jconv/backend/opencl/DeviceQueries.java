package dev.jconv.backend.opencl;

import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformInfo;

import java.nio.charset.StandardCharsets;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Typed reads of clGetPlatformInfo / clGetDeviceInfo, which JOCL exposes only as raw byte pointers. */
final class DeviceQueries {

    private DeviceQueries() {}

    static String platformString(cl_platform_id platform, int parameter) {
        return string((size, value, sizeReturned) -> clGetPlatformInfo(platform, parameter, size, value, sizeReturned));
    }

    static String deviceString(cl_device_id device, int parameter) {
        return string((size, value, sizeReturned) -> clGetDeviceInfo(device, parameter, size, value, sizeReturned));
    }

    /** clGetPlatformInfo or clGetDeviceInfo for one object and parameter: its last three arguments. */
    private interface InfoQuery {
        void query(long size, Pointer value, long[] sizeReturned);
    }

    /** A string property, asked for twice as OpenCL's info queries want: its length first, then its bytes. */
    private static String string(InfoQuery query) {
        long[] size = new long[1];
        query.query(0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        query.query(bytes.length, Pointer.to(bytes), null);
        return text(bytes);
    }

    /** A cl_ulong or cl_bitfield property. */
    static long deviceLong(cl_device_id device, int parameter) {
        long[] value = new long[1];
        clGetDeviceInfo(device, parameter, Sizeof.cl_ulong, Pointer.to(value), null);
        return value[0];
    }

    /** A cl_uint property. */
    static int deviceInt(cl_device_id device, int parameter) {
        int[] value = new int[1];
        clGetDeviceInfo(device, parameter, Sizeof.cl_uint, Pointer.to(value), null);
        return value[0];
    }

    /** A size_t property. */
    static long deviceSize(cl_device_id device, int parameter) {
        long[] value = new long[1];
        clGetDeviceInfo(device, parameter, Sizeof.size_t, Pointer.to(value), null);
        return value[0];
    }

    /** Drops the C string's terminating NUL (and any padding the driver left). */
    private static String text(byte[] bytes) {
        int length = bytes.length;
        while (length > 0 && bytes[length - 1] == 0) {
            length--;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8).trim();
    }
}
