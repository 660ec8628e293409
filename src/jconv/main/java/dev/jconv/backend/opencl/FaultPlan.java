package dev.jconv.backend.opencl;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jocl.CL;

/**
 * A parsed fault spec, {@code POINT:N[:CODE],...}, with its own call counters: which call of each {@link FaultPoint}
 * fails and with which OpenCL status. Counting starts at zero when the plan is made, so a plan installed by a test
 * means "the N-th call from now". Thread-safe: each call takes one number from an atomic counter, so under any number
 * of threads exactly one call is the N-th.
 */
final class FaultPlan {

    private static final String RULE = "a fault spec is POINT:N[:CODE],... with POINT one of " + FaultPoint.words()
            + ", N the call to fail (1 = the first such call), and CODE an OpenCL error name such as"
            + " CL_OUT_OF_RESOURCES";

    /** One planned failure: the {@code call}-th call of {@code point} returns {@code status}. */
    record Fault(FaultPoint point, long call, int status) {

        /** As written in a spec, with the code spelled out: {@code alloc:5:CL_MEM_OBJECT_ALLOCATION_FAILURE}. */
        String describe() {
            return point.word() + ":" + call + ":" + OpenClException.errorName(status);
        }
    }

    private final String spec;
    private final Map<FaultPoint, Map<Long, Fault>> faults;
    private final AtomicLongArray calls = new AtomicLongArray(FaultPoint.values().length);
    private final AtomicInteger fired = new AtomicInteger();

    private FaultPlan(String spec, Map<FaultPoint, Map<Long, Fault>> faults) {
        this.spec = spec;
        this.faults = faults;
    }

    /**
     * Parses {@code spec}.
     *
     * @throws IllegalArgumentException naming the bad entry and the rule it breaks
     */
    static FaultPlan parse(String spec) {
        Map<FaultPoint, Map<Long, Fault>> faults = new EnumMap<>(FaultPoint.class);
        for (String rawEntry : spec.split(",", -1)) {
            String entry = rawEntry.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("fault spec '" + spec + "' has an empty entry; " + RULE);
            }
            Fault fault = parseEntry(entry, spec);
            Fault earlier = faults.computeIfAbsent(fault.point(), key -> new HashMap<>())
                    .put(fault.call(), fault);
            if (earlier != null) {
                throw new IllegalArgumentException(
                        "fault spec '" + spec + "' names " + fault.point().word() + " call " + fault.call()
                                + " twice (entry '" + entry + "'): a call can fail only once");
            }
        }
        return new FaultPlan(spec, faults);
    }

    private static Fault parseEntry(String entry, String spec) {
        String where = "fault spec '" + spec + "': entry '" + entry + "'";
        String[] parts = entry.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException(where + " is not POINT:N[:CODE]; " + RULE);
        }
        FaultPoint point = FaultPoint.of(parts[0].trim().toLowerCase(Locale.ROOT));
        if (point == null) {
            throw new IllegalArgumentException(where + " names no known point ('" + parts[0].trim() + "'); " + RULE);
        }
        long call;
        try {
            call = Long.parseLong(parts[1].trim());
        } catch (NumberFormatException e) {
            call = 0;
        }
        if (call < 1) {
            throw new IllegalArgumentException(where + " has N = '" + parts[1].trim() + "', but N must be a whole"
                    + " number from 1 (the N-th " + point.word() + " call fails); " + RULE);
        }
        int status = parts.length == 3 ? status(parts[2].trim(), where) : point.defaultStatus();
        return new Fault(point, call, status);
    }

    private static int status(String name, String where) {
        Integer status = ErrorNames.STATUS.get(name.toUpperCase(Locale.ROOT));
        if (status == null) {
            throw new IllegalArgumentException(where + " has CODE '" + name + "', which is not an OpenCL error"
                    + " name (CL_SUCCESS is no error); " + RULE);
        }
        return status;
    }

    /**
     * Counts one call at {@code point}.
     *
     * @return the fault planned for this call, or null when it should go ahead
     */
    Fault next(FaultPoint point) {
        long call = calls.incrementAndGet(point.ordinal());
        Map<Long, Fault> planned = faults.get(point);
        Fault fault = planned == null ? null : planned.get(call);
        if (fault != null) {
            fired.incrementAndGet();
        }
        return fault;
    }

    /** Calls of {@code point} counted so far; for tests. */
    long calls(FaultPoint point) {
        return calls.get(point.ordinal());
    }

    /** Faults returned so far; for tests, to know a planned fault was really hit. */
    int fired() {
        return fired.get();
    }

    String spec() {
        return spec;
    }

    /** Error names to status codes, read from JOCL's own table, so every code JOCL can name can be injected. */
    private static final class ErrorNames {
        /** Below the core codes (to -72) JOCL also names extension codes around -1000 to -1100. */
        private static final int LOWEST_CODE = -1200;

        static final Map<String, Integer> STATUS = scan();

        private ErrorNames() {}

        private static Map<String, Integer> scan() {
            Map<String, Integer> status = new HashMap<>();
            for (int code = -1; code >= LOWEST_CODE; code--) {
                String name = CL.stringFor_errorCode(code);
                if (name.startsWith("CL_")) {
                    status.putIfAbsent(name, code);
                }
            }
            return status;
        }
    }
}
