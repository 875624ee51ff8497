package org.panamaipc.message;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.NotFoundException;
import org.panamaipc.internal.Namespace;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;

import static org.panamaipc.message.MailboxDescriptor.*;

/**
 * Looks at the port a create found in its way and removes it if its owner has gone. Exactly one
 * process removes a given stale port: the one whose compare-and-set moves its owner state to
 * {@link MailboxDescriptor#OWNER_RECLAIMED}; the others retry their create. An owner counts as
 * gone when the kernel has marked its owner lock (its thread died) or it unlocked it (it closed
 * the port) and its process is no longer alive, judged by pid and start time, so a reused pid
 * never keeps a dead owner's port.
 */
final class PortReclaimer {

    /** How long to wait for a creator, alive, that has not marked its port ready. */
    private static final Duration READY_WAIT = Duration.ofSeconds(2);
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** What was found: a live owner (its pid), or a port gone or being removed (retry the create). */
    record Finding(boolean live, int ownerPid) {
    }

    private PortReclaimer() {
    }

    /**
     * Examines the port {@code name}; removes it if its owner has gone and this process wins the
     * right to. With {@code last}, a port found half-removed by a reclaimer that has not finished
     * (it may have died doing it) is removed too.
     *
     * @throws AlreadyExistsException if {@code name} is a mailbox, not a port
     */
    static Finding examine(String name, boolean last) {
        IpcSegment segment;
        try {
            segment = IpcSegment.open(name, SegmentKind.MAILBOX, SIZE, READY_WAIT);
        } catch (NotFoundException gone) {
            return new Finding(false, 0);
        } catch (InvalidSegmentException e) {
            if (e.reason() == InvalidSegmentException.Reason.NOT_READY) {
                return reclaimUnready(name);
            }
            throw e;
        } catch (IpcTimeoutException slowCreator) {
            return new Finding(true, 0);
        }
        try (segment) {
            MailboxControl control = MailboxControl.of(name, segment);
            if (!control.port) {
                throw new AlreadyExistsException("create port", name, "a mailbox (not a port) of that name exists",
                        org.panamaipc.bindings.errno_h.EEXIST(), "EEXIST", "File exists");
            }
            int pid = control.ownerPid();
            int state = control.ownerState();
            boolean present = ownerPresent(control.ownerWord());
            switch (state) {
                case OWNER_OWNED -> {
                    if (present) {
                        return new Finding(true, pid);
                    }
                    reclaim(control, OWNER_OWNED);
                }
                case OWNER_CLOSED -> {
                    if (!present && !ProcessId.isAlive(pid, control.ownerStartTime())) {
                        reclaim(control, OWNER_CLOSED); // closed, then died before removing it
                    }
                }
                case OWNER_RECLAIMED -> {
                    if (last) {
                        remove(name);
                    }
                }
                default -> reclaim(control, state);
            }
            return new Finding(false, pid);
        }
    }

    private static void reclaim(MailboxControl control, int state) {
        if (control.compareAndSetOwnerState(state, OWNER_RECLAIMED)) {
            remove(control.name);
        }
    }

    private static void remove(String name) {
        MailboxControl.unlinkTransports(name);
        Namespace.SHARED_MEMORY.unlinkIfExists(name, MailboxControl.PORT);
    }

    /** A port whose creator died before marking it ready: claimed by the same compare-and-set, on the raw mapping. */
    private static Finding reclaimUnready(String name) {
        try (SharedMemory memory = SharedMemory.open(name)) {
            MemorySegment all = memory.segment();
            long state = SegmentHeaderDescriptor.HEADER_SIZE + OWNER_STATE_OFFSET;
            if (all.byteSize() < SegmentHeaderDescriptor.HEADER_SIZE + SIZE) {
                return new Finding(false, 0);
            }
            int seen = (int) INT.getAcquire(all, state);
            if (seen != OWNER_RECLAIMED && INT.compareAndSet(all, state, seen, OWNER_RECLAIMED)) {
                remove(name);
            }
            return new Finding(false, all.get(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.CREATOR_PID_OFFSET));
        } catch (NotFoundException gone) {
            return new Finding(false, 0);
        }
    }
}
