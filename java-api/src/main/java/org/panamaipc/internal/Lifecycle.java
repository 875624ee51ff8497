package org.panamaipc.internal;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.NotFoundException;

import java.util.function.Supplier;

/**
 * The rules every named object of panama-ipc shares, written once (see docs/conventions.md, "One
 * lifecycle for every named object"): the default mode and its check, and a race-free
 * {@code openOrCreate}. The system calls are {@link Namespace}'s.
 *
 * <p>Internal: public for the packages of this module; not exported.
 */
public final class Lifecycle {

    /** The mode every named object is created with unless told otherwise: {@code 0600}, owner read and write. */
    public static final int DEFAULT_MODE = 0600;

    /** The permission bits a mode may hold. */
    public static final int PERMISSION_BITS = 0777;

    /**
     * How often {@link #openOrCreate} tries: each retry means that another process removed the name
     * between this one's create and open, so a few suffice; more means names are being created and
     * removed in a loop, and the last {@link NotFoundException} is thrown.
     */
    public static final int OPEN_OR_CREATE_ATTEMPTS = 8;

    private Lifecycle() {
    }

    /**
     * {@return {@code mode}, if it holds permission bits only}
     *
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public static int checkMode(int mode) {
        if ((mode & ~PERMISSION_BITS) != 0) {
            throw new IllegalArgumentException("mode=0" + Integer.toOctalString(mode)
                    + " has bits outside the permission bits 0777");
        }
        return mode;
    }

    /**
     * {@return {@code mode}, for an object that every user writes (a primitive, a ring)} Such a
     * mode must give its owner read and write: a mode without them would lock the creating user
     * out of its own object, and the rule also catches a mode swapped with the number before it
     * ({@code create(name, 0600, 2)} for {@code create(name, 2, 0600)}).
     *
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}, or lacks {@code 0600}
     */
    public static int checkWritableMode(int mode, String what) {
        checkMode(mode);
        if ((mode & DEFAULT_MODE) != DEFAULT_MODE) {
            throw new IllegalArgumentException("mode=0" + Integer.toOctalString(mode) + " does not give the owner"
                    + " read and write (0600), which every user of a " + what + " needs");
        }
        return mode;
    }

    /**
     * Creates the object, or opens it if it exists, retrying when another process removes it in
     * between (create fails: it exists; open fails: it does not), at most
     * {@link #OPEN_OR_CREATE_ATTEMPTS} times. {@return what {@code create} or {@code open} returned}
     *
     * @throws NotFoundException if the name vanished between create and open on every attempt
     */
    public static <T> T openOrCreate(Supplier<T> create, Supplier<T> open) {
        for (int attempt = 1; ; attempt++) {
            try {
                return create.get();
            } catch (AlreadyExistsException exists) {
                try {
                    return open.get();
                } catch (NotFoundException goneMeanwhile) {
                    if (attempt >= OPEN_OR_CREATE_ATTEMPTS) {
                        throw goneMeanwhile;
                    }
                    // removed between our two calls: create it again
                }
            }
        }
    }
}
