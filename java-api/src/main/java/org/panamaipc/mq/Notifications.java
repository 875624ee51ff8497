package org.panamaipc.mq;

import org.panamaipc.IpcException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.mqueue_h;
import org.panamaipc.bindings.signal_h;
import org.panamaipc.bindings.sigevent;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code mq_notify} with {@code SIGEV_THREAD}, delivered to Java. One upcall stub serves every
 * queue: the {@code sigev_value} the kernel hands back is the id of a registration in a map, so a
 * notification for a registration that was cancelled (or whose queue was closed) meanwhile finds
 * nothing and does nothing.
 *
 * <p>How glibc delivers it: at the first {@code SIGEV_THREAD} registration it opens a netlink socket
 * and starts a helper thread that reads it; for each notification the helper starts a new detached
 * thread that calls the function pointer with {@code sigev_value}. The upcall attaches that thread
 * to the JVM. The {@code struct sigevent} is read during the {@code mq_notify} call only.
 */
final class Notifications {

    private record Registration(MessageQueue queue, Consumer<? super MessageQueue> callback) {
    }

    private static final Map<Long, Registration> PENDING = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    private Notifications() {
    }

    /** The upcall stub, made at the first registration and kept for the life of the JVM. */
    private static final class Stub {
        static final MemorySegment FUNCTION =
                sigevent.sigev_notify_function.allocate(Notifications::fire, Arena.global());
    }

    static void register(MessageQueue queue, int mqd, Consumer<? super MessageQueue> callback) {
        synchronized (queue.handle.notificationLock) {
            if (queue.handle.notification != 0) {
                throw new IllegalStateException("message queue " + queue.name()
                        + " has a notification pending already; cancel it first, or wait for it to fire");
            }
            long id = IDS.incrementAndGet();
            PENDING.put(id, new Registration(queue, callback));
            queue.handle.notification = id;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment event = sigevent.allocate(arena);
                sigevent.sigev_notify(event, signal_h.SIGEV_THREAD());
                sigevent.sigev_value(event, id);
                sigevent.sigev_notify_function(event, Stub.FUNCTION);
                sigevent.sigev_notify_attributes(event, MemorySegment.NULL);
                if (mqueue_h.mq_notify(mqd, event) != 0) {
                    int errno = Errno.last();
                    PENDING.remove(id);
                    queue.handle.notification = 0;
                    if (errno == errno_h.EBUSY()) {
                        throw new IpcException("register for notification on message queue", queue.name(),
                                "another registration holds it (one process, through one descriptor, may be registered at a time)", errno,
                                Errno.name(errno), Errno.text(errno));
                    }
                    throw Errors.fromErrno(errno, "register for notification on message queue", queue.name());
                }
            }
        }
    }

    static boolean cancel(MessageQueue queue, int mqd) {
        synchronized (queue.handle.notificationLock) {
            long id = queue.handle.notification;
            if (id == 0) {
                return false;
            }
            queue.handle.notification = 0;
            boolean pending = PENDING.remove(id) != null;
            if (mqueue_h.mq_notify(mqd, MemorySegment.NULL) != 0) {
                throw Errors.lastError("cancel notification on message queue", queue.name());
            }
            return pending;
        }
    }

    /** Drops the queue's registration when it closes; closing the descriptor withdraws it in the kernel. */
    static void forget(MessageQueue queue) {
        synchronized (queue.handle.notificationLock) {
            long id = queue.handle.notification;
            if (id != 0) {
                queue.handle.notification = 0;
                PENDING.remove(id);
            }
        }
    }

    /** The upcall. Nothing may escape it: an exception thrown out of an upcall ends the JVM. */
    private static void fire(long id) {
        try {
            Registration registration = PENDING.remove(id);
            if (registration == null) {
                return;
            }
            MessageQueue queue = registration.queue();
            synchronized (queue.handle.notificationLock) {
                if (queue.handle.notification == id) {
                    queue.handle.notification = 0;
                }
            }
            if (!queue.isClosed()) {
                registration.callback().accept(queue);
            }
        } catch (Throwable t) {
            try {
                Thread thread = Thread.currentThread();
                Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
                if (handler != null) {
                    handler.uncaughtException(thread, t);
                } else {
                    t.printStackTrace();
                }
            } catch (Throwable ignored) {
                // nothing more can be done on this thread
            }
        }
    }
}
