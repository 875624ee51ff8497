package org.panamaipc.endpoint;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.internal.Errno;

/**
 * A name that a live process holds in an {@link EndpointRegistry}: "Unable to register endpoint
 * printer in registry /apps since process 4242 holds it and is alive (EEXIST: File exists)". The
 * name becomes free when that process closes its endpoint or dies.
 */
public class NameTakenException extends AlreadyExistsException {

    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final int holderPid;

    /**
     * @param registry  the registry's name
     * @param endpoint  the endpoint name
     * @param holderPid the pid of the process that holds it
     */
    public NameTakenException(String registry, String endpoint, int holderPid) {
        super("register endpoint " + endpoint + " in registry", registry,
                "process " + holderPid + " holds it and is alive",
                errno_h.EEXIST(), Errno.name(errno_h.EEXIST()), Errno.text(errno_h.EEXIST()));
        this.endpoint = endpoint;
        this.holderPid = holderPid;
    }

    /** {@return the endpoint name} */
    public String endpoint() {
        return endpoint;
    }

    /** {@return the pid of the process that holds the name} */
    public int holderPid() {
        return holderPid;
    }
}
