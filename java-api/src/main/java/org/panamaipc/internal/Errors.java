package org.panamaipc.internal;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.IpcException;
import org.panamaipc.IpcInterruptedException;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.LimitReachedException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.PermissionDeniedException;
import org.panamaipc.WouldBlockException;
import org.panamaipc.bindings.errno_h;

/**
 * Turns an errno into the one exception that names its cause. Call sites that know more (that
 * an {@code EINVAL} is about a name, or which limit an {@code ENOSPC} hit) say so with
 * {@link #invalidName} or {@link #limit}; everything else goes through {@link #fromErrno}.
 */
public final class Errors {

    private Errors() {
    }

    /** {@return the exception for the errno the last binding call left, after {@code action} on {@code object} failed} */
    public static IpcException lastError(String action, String object) {
        return fromErrno(Errno.last(), action, object);
    }

    /** {@return the exception for {@code errno}, after {@code action} on {@code object} failed} */
    public static IpcException fromErrno(int errno, String action, String object) {
        String name = Errno.name(errno);
        String text = Errno.text(errno);
        if (errno == errno_h.EEXIST()) {
            return new AlreadyExistsException(action, object, "it already exists", errno, name, text);
        } else if (errno == errno_h.ENOENT()) {
            return new NotFoundException(action, object, "it does not exist", errno, name, text);
        } else if (errno == errno_h.EACCES() || errno == errno_h.EPERM()) {
            return new PermissionDeniedException(action, object, "permission is denied", errno, name, text);
        } else if (errno == errno_h.ENAMETOOLONG()) {
            return new InvalidNameException(action, object, "the name is too long", errno, name, text);
        } else if (errno == errno_h.EMSGSIZE()) {
            return new MessageTooLongException(action, object, "the message is too long", errno, name, text);
        } else if (errno == errno_h.EAGAIN()) {
            return new WouldBlockException(action, object, "it would block", errno, name, text);
        } else if (errno == errno_h.ETIMEDOUT()) {
            return new IpcTimeoutException(action, object, "the deadline passed", errno, name, text);
        } else if (errno == errno_h.EINTR()) {
            return new IpcInterruptedException(action, object, "a signal interrupted it", errno, name, text);
        } else if (errno == errno_h.EMFILE()) {
            return limit(errno, action, object, "RLIMIT_NOFILE (open files per process)",
                    Limits.rlimit("Max open files"), "ulimit -n N, or LimitNOFILE= for a systemd service");
        } else if (errno == errno_h.ENFILE()) {
            return limit(errno, action, object, "fs.file-max (open files on the system)",
                    Limits.procValue("/proc/sys/fs/file-max"), "sysctl -w fs.file-max=N");
        } else if (errno == errno_h.ENOMEM()) {
            return limit(errno, action, object, "memory, or vm.max_map_count (mappings per process)",
                    Limits.procValue("/proc/sys/vm/max_map_count"), "freeing memory, or sysctl -w vm.max_map_count=N");
        } else if (errno == errno_h.ENOSPC()) {
            return limit(errno, action, object, "space on the file system", null, "freeing space or enlarging it");
        }
        return new IpcException(action, object, null, errno, name, text);
    }

    /** {@return an {@link InvalidNameException} for an errno that, at this call, means the name was refused} */
    public static InvalidNameException invalidName(int errno, String action, String object) {
        return new InvalidNameException(action, object, "the name is not valid", errno, Errno.name(errno), Errno.text(errno));
    }

    /** {@return a {@link LimitReachedException} naming the limit that {@code errno} means at this call} */
    public static LimitReachedException limit(int errno, String action, String object, String limit,
                                              String currentValue, String howToRaise) {
        return new LimitReachedException(action, object, errno, Errno.name(errno), Errno.text(errno),
                limit, currentValue, howToRaise);
    }
}
