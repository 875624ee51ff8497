package org.panamaipc.mq;

import org.panamaipc.internal.Limits;

/**
 * The kernel's limits on POSIX message queues as they are now, read from {@code /proc}. A value
 * that could not be read is -1.
 *
 * <table class="striped">
 * <caption>The limits and how to raise them</caption>
 * <thead><tr><th>component</th><th>limit</th><th>usual default</th><th>raise with</th><th>exceeding it gives</th></tr></thead>
 * <tbody>
 * <tr><td>{@link #msgMax()}</td><td>{@code fs.mqueue.msg_max}: messages per queue</td><td>10</td>
 *     <td>{@code sysctl -w fs.mqueue.msg_max=N}</td><td>{@code EINVAL} on create</td></tr>
 * <tr><td>{@link #msgsizeMax()}</td><td>{@code fs.mqueue.msgsize_max}: bytes per message</td><td>8192</td>
 *     <td>{@code sysctl -w fs.mqueue.msgsize_max=N}</td><td>{@code EINVAL} on create</td></tr>
 * <tr><td>{@link #queuesMax()}</td><td>{@code fs.mqueue.queues_max}: queues on the system</td><td>256</td>
 *     <td>{@code sysctl -w fs.mqueue.queues_max=N}</td><td>{@code ENOSPC} on create</td></tr>
 * <tr><td>{@link #rlimitMsgqueue()}</td><td>{@code RLIMIT_MSGQUEUE}: bytes of all queues of one user</td><td>819200</td>
 *     <td>{@code ulimit -q N}, {@code LimitMSGQUEUE=} (systemd), {@code /etc/security/limits.conf}</td><td>{@code EMFILE} on create</td></tr>
 * </tbody>
 * </table>
 *
 * <p>A process with {@code CAP_SYS_RESOURCE} ({@link #capSysResource()}) is not bound by the three
 * sysctls; it may go up to the kernel's hard limits {@link #HARD_MSGMAX} and
 * {@link #HARD_MSGSIZEMAX}. {@code RLIMIT_MSGQUEUE} binds every process. Every
 * {@link org.panamaipc.LimitReachedException} that {@link MessageQueue#create}
 * throws names one of these limits, its value and how to raise it.
 *
 * {@snippet lang=java :
 * MessageQueueLimits limits = MessageQueueLimits.current();
 * int capacity = (int) Math.min(100, limits.msgMax());   // 10 on a default Linux
 * }
 *
 * @param msgMax         {@code /proc/sys/fs/mqueue/msg_max}
 * @param msgsizeMax     {@code /proc/sys/fs/mqueue/msgsize_max}
 * @param queuesMax      {@code /proc/sys/fs/mqueue/queues_max}
 * @param msgDefault     {@code /proc/sys/fs/mqueue/msg_default}: capacity of a queue created without attributes
 * @param msgsizeDefault {@code /proc/sys/fs/mqueue/msgsize_default}: message size of such a queue
 * @param rlimitMsgqueue this process's soft {@code RLIMIT_MSGQUEUE} in bytes, {@link Long#MAX_VALUE} if unlimited
 * @param capSysResource whether this process has {@code CAP_SYS_RESOURCE}
 */
public record MessageQueueLimits(long msgMax, long msgsizeMax, long queuesMax, long msgDefault, long msgsizeDefault,
                                 long rlimitMsgqueue, boolean capSysResource) {

    /** The most messages a queue may hold even with {@code CAP_SYS_RESOURCE} (kernel constant {@code HARD_MSGMAX}). */
    public static final long HARD_MSGMAX = 65536;

    /** The largest message size even with {@code CAP_SYS_RESOURCE} (kernel constant {@code HARD_MSGSIZEMAX}, 16 MiB). */
    public static final long HARD_MSGSIZEMAX = 16L * 1024 * 1024;

    static final String MSG_MAX = "/proc/sys/fs/mqueue/msg_max";
    static final String MSGSIZE_MAX = "/proc/sys/fs/mqueue/msgsize_max";
    static final String QUEUES_MAX = "/proc/sys/fs/mqueue/queues_max";
    static final String RLIMIT_ROW = "Max msgqueue size";

    /** {@return the limits now} Reads {@code /proc}; not for a hot path. */
    public static MessageQueueLimits current() {
        String rlimit = Limits.rlimit(RLIMIT_ROW);
        long rlimitBytes;
        if (rlimit == null) {
            rlimitBytes = -1;
        } else if (rlimit.equals("unlimited")) {
            rlimitBytes = Long.MAX_VALUE;
        } else {
            try {
                rlimitBytes = Long.parseLong(rlimit);
            } catch (NumberFormatException e) {
                rlimitBytes = -1;
            }
        }
        return new MessageQueueLimits(
                Limits.procNumber(MSG_MAX),
                Limits.procNumber(MSGSIZE_MAX),
                Limits.procNumber(QUEUES_MAX),
                Limits.procNumber("/proc/sys/fs/mqueue/msg_default"),
                Limits.procNumber("/proc/sys/fs/mqueue/msgsize_default"),
                rlimitBytes,
                Limits.hasCapability(Limits.CAP_SYS_RESOURCE));
    }

    /** {@return the most messages this process may ask for: {@link #msgMax()}, or {@link #HARD_MSGMAX} with {@code CAP_SYS_RESOURCE}} */
    public long effectiveMsgMax() {
        return capSysResource ? HARD_MSGMAX : msgMax;
    }

    /** {@return the largest message size this process may ask for: {@link #msgsizeMax()}, or {@link #HARD_MSGSIZEMAX} with {@code CAP_SYS_RESOURCE}} */
    public long effectiveMsgsizeMax() {
        return capSysResource ? HARD_MSGSIZEMAX : msgsizeMax;
    }
}
