package org.panamaipc.message;

import org.panamaipc.PeerGoneException;

/**
 * A send to a {@link Port} whose owner has gone: it closed the port, or its process died. Thrown
 * by the blocking send at once, without waiting for room or a timeout (the try and timed forms
 * return {@link Mailbox#CLOSED}), and by {@link Port#open} when the owner has gone already. The
 * name can be taken again by a new owner ({@link Port#create}).
 */
public class PortGoneException extends PeerGoneException {

    private static final long serialVersionUID = 1L;

    private final String port;
    private final int ownerPid;
    private final boolean closedByOwner;

    /**
     * @param action        what was attempted, such as {@code "send to port"}
     * @param port          the port's name
     * @param ownerPid      the owner's pid
     * @param closedByOwner whether the owner closed the port, rather than died
     */
    public PortGoneException(String action, String port, int ownerPid, boolean closedByOwner) {
        super(action, port, "its owner, process " + ownerPid + ", " + (closedByOwner ? "has closed it" : "has died"));
        this.port = port;
        this.ownerPid = ownerPid;
        this.closedByOwner = closedByOwner;
    }

    /** {@return the port's name} */
    public String port() {
        return port;
    }

    /** {@return the pid of the owner that has gone} */
    public int ownerPid() {
        return ownerPid;
    }

    /** {@return whether the owner closed the port; false if its process died} */
    public boolean closedByOwner() {
        return closedByOwner;
    }
}
