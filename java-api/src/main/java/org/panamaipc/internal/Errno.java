package org.panamaipc.internal;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.string_h;

import java.util.HashMap;
import java.util.Map;

/** errno values by name, and their texts. */
public final class Errno {

    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        // EWOULDBLOCK and EOPNOTSUPP share their numbers with EAGAIN and ENOTSUP; the first name wins
        name(errno_h.EPERM(), "EPERM");
        name(errno_h.ENOENT(), "ENOENT");
        name(errno_h.ESRCH(), "ESRCH");
        name(errno_h.EINTR(), "EINTR");
        name(errno_h.EIO(), "EIO");
        name(errno_h.EBADF(), "EBADF");
        name(errno_h.EAGAIN(), "EAGAIN");
        name(errno_h.ENOMEM(), "ENOMEM");
        name(errno_h.EACCES(), "EACCES");
        name(errno_h.EFAULT(), "EFAULT");
        name(errno_h.EBUSY(), "EBUSY");
        name(errno_h.EEXIST(), "EEXIST");
        name(errno_h.ENODEV(), "ENODEV");
        name(errno_h.ENOTDIR(), "ENOTDIR");
        name(errno_h.EISDIR(), "EISDIR");
        name(errno_h.EINVAL(), "EINVAL");
        name(errno_h.ENFILE(), "ENFILE");
        name(errno_h.EMFILE(), "EMFILE");
        name(errno_h.EFBIG(), "EFBIG");
        name(errno_h.ENOSPC(), "ENOSPC");
        name(errno_h.ESPIPE(), "ESPIPE");
        name(errno_h.EROFS(), "EROFS");
        name(errno_h.ERANGE(), "ERANGE");
        name(errno_h.EDEADLK(), "EDEADLK");
        name(errno_h.ENAMETOOLONG(), "ENAMETOOLONG");
        name(errno_h.ENOSYS(), "ENOSYS");
        name(errno_h.EOVERFLOW(), "EOVERFLOW");
        name(errno_h.EMSGSIZE(), "EMSGSIZE");
        name(errno_h.ENOTSUP(), "ENOTSUP");
        name(errno_h.ETIMEDOUT(), "ETIMEDOUT");
        name(errno_h.EOWNERDEAD(), "EOWNERDEAD");
        name(errno_h.ENOTRECOVERABLE(), "ENOTRECOVERABLE");
        name(errno_h.ENXIO(), "ENXIO");
        name(errno_h.EPIPE(), "EPIPE");
        name(errno_h.ENOTSOCK(), "ENOTSOCK");
        name(errno_h.EADDRINUSE(), "EADDRINUSE");
        name(errno_h.ECONNRESET(), "ECONNRESET");
        name(errno_h.ENOTCONN(), "ENOTCONN");
        name(errno_h.ECONNREFUSED(), "ECONNREFUSED");
    }

    private Errno() {
    }

    private static void name(int value, String name) {
        NAMES.putIfAbsent(value, name);
    }

    /** {@return the errno of the last binding call on this thread} */
    public static int last() {
        return errno_h.errno();
    }

    /** {@return errno's symbolic name, such as {@code "EEXIST"}, or {@code "errno 123"} for one not named here} */
    public static String name(int errno) {
        String name = NAMES.get(errno);
        return name != null ? name : "errno " + errno;
    }

    /** {@return the C library's text for errno} */
    public static String text(int errno) {
        return string_h.strerrorText(errno);
    }
}
