package dev.jconv.backend.opencl;

import org.jocl.CLException;

/**
 * What {@link Faults#check} throws: JOCL's own exception type with the planned status, so the host layer handles it
 * like the driver's, plus the plan entry, so the message says the failure was made on purpose.
 */
final class InjectedFault extends CLException {

    private static final long serialVersionUID = 1L;

    private final transient FaultPlan.Fault fault;

    InjectedFault(FaultPlan.Fault fault) {
        super(OpenClException.errorName(fault.status()) + " (injected fault " + fault.describe() + ")", fault.status());
        this.fault = fault;
    }

    /** {@code injected fault alloc:5:CL_MEM_OBJECT_ALLOCATION_FAILURE}, for messages. */
    String describe() {
        return "injected fault " + fault.describe();
    }
}
