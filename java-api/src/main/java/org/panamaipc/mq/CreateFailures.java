package org.panamaipc.mq;

import org.panamaipc.IpcException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.Limits;

/**
 * Explains why the kernel refused to create a queue: which limit, its value now, how to raise it.
 * The kernel's checks, in the order it makes them ({@code ipc/mqueue.c}): {@code EINVAL} for a
 * size above {@code msg_max} / {@code msgsize_max} (or the hard limits, with
 * {@code CAP_SYS_RESOURCE}); {@code ENOSPC} when {@code queues_max} queues exist; {@code EMFILE}
 * when the user's queues would exceed {@code RLIMIT_MSGQUEUE} bytes (or the process is out of
 * descriptors); {@code ENOMEM} when kernel memory runs out.
 */
final class CreateFailures {

    /**
     * Kernel bookkeeping per message beyond its payload, on x86-64: a {@code struct msg_msg}
     * (48 bytes), and at most one {@code struct posix_msg_tree_node} (48 bytes) per priority in use.
     */
    static final long KERNEL_BYTES_PER_MESSAGE = 96;

    private CreateFailures() {
    }

    static IpcException explain(int errno, String action, String name, int maxMessages, int maxMessageLength,
                                MessageQueueLimits limits) {
        String object = name + " (" + maxMessages + (maxMessages == 1 ? " message" : " messages") + " of up to "
                + maxMessageLength + " bytes)";
        if (errno == errno_h.EINVAL()) {
            IpcException e = sizeLimit(errno, action, object, maxMessages, maxMessageLength, limits);
            if (e != null) {
                return e;
            }
        } else if (errno == errno_h.ENOSPC()) {
            return Errors.limit(errno, action, object, "fs.mqueue.queues_max (message queues on the system)",
                    value(limits.queuesMax()), "sysctl -w fs.mqueue.queues_max=N, or unlink queues no one uses");
        } else if (errno == errno_h.EMFILE()) {
            long nofile = parse(Limits.rlimit("Max open files"));
            int open = Limits.openDescriptors();
            if (nofile < 0 || open < 0 || open < nofile - 1) {
                long bytes = bytesNeeded(maxMessages, maxMessageLength);
                return Errors.limit(errno, action, object,
                        "RLIMIT_MSGQUEUE (bytes of all message queues of this user; this queue needs about "
                                + bytes + ")",
                        limits.rlimitMsgqueue() == Long.MAX_VALUE ? "unlimited" : value(limits.rlimitMsgqueue()),
                        "ulimit -q N (bytes) in the shell that starts the JVM, LimitMSGQUEUE=N for a systemd"
                                + " service, or a msgqueue line in /etc/security/limits.conf; or unlink queues"
                                + " of this user no one uses, or ask for fewer or smaller messages");
            }
            return Errors.fromErrno(errno, action, object);
        } else if (errno == errno_h.ENOMEM()) {
            return Errors.limit(errno, action, object, "kernel memory (this queue needs about "
                            + bytesNeeded(maxMessages, maxMessageLength) + " bytes)", null,
                    "freeing memory, or asking for fewer or smaller messages");
        }
        return Errors.fromErrno(errno, action, object);
    }

    private static IpcException sizeLimit(int errno, String action, String object, int maxMessages,
                                          int maxMessageLength, MessageQueueLimits limits) {
        boolean tooMany = limits.effectiveMsgMax() >= 0 && maxMessages > limits.effectiveMsgMax();
        boolean tooLarge = limits.effectiveMsgsizeMax() >= 0 && maxMessageLength > limits.effectiveMsgsizeMax();
        if (limits.capSysResource()) {
            if (tooMany || tooLarge) {
                return Errors.limit(errno, action, object,
                        tooMany ? "HARD_MSGMAX (messages per queue for a process with CAP_SYS_RESOURCE)"
                                : "HARD_MSGSIZEMAX (bytes per message for a process with CAP_SYS_RESOURCE)",
                        Long.toString(tooMany ? MessageQueueLimits.HARD_MSGMAX : MessageQueueLimits.HARD_MSGSIZEMAX),
                        "nothing: it is a constant of the kernel; ask for " + (tooMany ? "fewer" : "smaller")
                                + " messages");
            }
            return null;
        }
        if (tooMany && tooLarge) {
            return Errors.limit(errno, action, object,
                    "fs.mqueue.msg_max (messages per queue) and fs.mqueue.msgsize_max (bytes per message)",
                    limits.msgMax() + " and " + limits.msgsizeMax(),
                    "sysctl -w fs.mqueue.msg_max=" + maxMessages + " fs.mqueue.msgsize_max=" + maxMessageLength
                            + " (as root)");
        }
        if (tooMany) {
            return Errors.limit(errno, action, object, "fs.mqueue.msg_max (messages per queue)",
                    value(limits.msgMax()), "sysctl -w fs.mqueue.msg_max=" + maxMessages + " (as root)");
        }
        if (tooLarge) {
            return Errors.limit(errno, action, object, "fs.mqueue.msgsize_max (bytes per message)",
                    value(limits.msgsizeMax()), "sysctl -w fs.mqueue.msgsize_max=" + maxMessageLength + " (as root)");
        }
        return null;
    }

    /** {@return about how many bytes of {@code RLIMIT_MSGQUEUE} a queue of these sizes takes} */
    static long bytesNeeded(int maxMessages, int maxMessageLength) {
        return (long) maxMessages * ((long) maxMessageLength + KERNEL_BYTES_PER_MESSAGE);
    }

    private static String value(long v) {
        return v < 0 ? null : Long.toString(v);
    }

    private static long parse(String s) {
        if (s == null) {
            return -1;
        }
        if (s.equals("unlimited")) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
