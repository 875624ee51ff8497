package org.panamaipc.bindings;

/**
 * The {@code errno} values panama-ipc tells apart, and {@link #errno()}, the value the last call left behind.
 *
 * <p>Mirrors {@code <errno.h>}; every value is checked against the C compiler's by the ABI test.
 */
public final class errno_h {

    private errno_h() {
    }

    private static final int EPERM = 1;

    /** {@snippet lang=c : #define EPERM 1 } Operation not permitted. */
    public static int EPERM() {
        return EPERM;
    }

    private static final int ENOENT = 2;

    /** {@snippet lang=c : #define ENOENT 2 } No such file or directory. */
    public static int ENOENT() {
        return ENOENT;
    }

    private static final int ESRCH = 3;

    /** {@snippet lang=c : #define ESRCH 3 } No such process. */
    public static int ESRCH() {
        return ESRCH;
    }

    private static final int EINTR = 4;

    /** {@snippet lang=c : #define EINTR 4 } Interrupted system call. */
    public static int EINTR() {
        return EINTR;
    }

    private static final int EIO = 5;

    /** {@snippet lang=c : #define EIO 5 } Input/output error. */
    public static int EIO() {
        return EIO;
    }

    private static final int ENXIO = 6;

    /** {@snippet lang=c : #define ENXIO 6 } No such device or address. */
    public static int ENXIO() {
        return ENXIO;
    }

    private static final int EBADF = 9;

    /** {@snippet lang=c : #define EBADF 9 } Bad file descriptor. */
    public static int EBADF() {
        return EBADF;
    }

    private static final int EAGAIN = 11;

    /** {@snippet lang=c : #define EAGAIN 11 } Resource temporarily unavailable. */
    public static int EAGAIN() {
        return EAGAIN;
    }

    private static final int EWOULDBLOCK = 11;

    /** {@snippet lang=c : #define EWOULDBLOCK 11 } Same as EAGAIN. */
    public static int EWOULDBLOCK() {
        return EWOULDBLOCK;
    }

    private static final int ENOMEM = 12;

    /** {@snippet lang=c : #define ENOMEM 12 } Cannot allocate memory. */
    public static int ENOMEM() {
        return ENOMEM;
    }

    private static final int EACCES = 13;

    /** {@snippet lang=c : #define EACCES 13 } Permission denied. */
    public static int EACCES() {
        return EACCES;
    }

    private static final int EFAULT = 14;

    /** {@snippet lang=c : #define EFAULT 14 } Bad address. */
    public static int EFAULT() {
        return EFAULT;
    }

    private static final int EBUSY = 16;

    /** {@snippet lang=c : #define EBUSY 16 } Device or resource busy. */
    public static int EBUSY() {
        return EBUSY;
    }

    private static final int EEXIST = 17;

    /** {@snippet lang=c : #define EEXIST 17 } File exists. */
    public static int EEXIST() {
        return EEXIST;
    }

    private static final int ENODEV = 19;

    /** {@snippet lang=c : #define ENODEV 19 } No such device. */
    public static int ENODEV() {
        return ENODEV;
    }

    private static final int ENOTDIR = 20;

    /** {@snippet lang=c : #define ENOTDIR 20 } Not a directory. */
    public static int ENOTDIR() {
        return ENOTDIR;
    }

    private static final int EISDIR = 21;

    /** {@snippet lang=c : #define EISDIR 21 } Is a directory. */
    public static int EISDIR() {
        return EISDIR;
    }

    private static final int EINVAL = 22;

    /** {@snippet lang=c : #define EINVAL 22 } Invalid argument. */
    public static int EINVAL() {
        return EINVAL;
    }

    private static final int ENFILE = 23;

    /** {@snippet lang=c : #define ENFILE 23 } Too many open files in system. */
    public static int ENFILE() {
        return ENFILE;
    }

    private static final int EMFILE = 24;

    /** {@snippet lang=c : #define EMFILE 24 } Too many open files. */
    public static int EMFILE() {
        return EMFILE;
    }

    private static final int EFBIG = 27;

    /** {@snippet lang=c : #define EFBIG 27 } File too large. */
    public static int EFBIG() {
        return EFBIG;
    }

    private static final int ENOSPC = 28;

    /** {@snippet lang=c : #define ENOSPC 28 } No space left on device. */
    public static int ENOSPC() {
        return ENOSPC;
    }

    private static final int ESPIPE = 29;

    /** {@snippet lang=c : #define ESPIPE 29 } Illegal seek. */
    public static int ESPIPE() {
        return ESPIPE;
    }

    private static final int EROFS = 30;

    /** {@snippet lang=c : #define EROFS 30 } Read-only file system. */
    public static int EROFS() {
        return EROFS;
    }

    private static final int EPIPE = 32;

    /** {@snippet lang=c : #define EPIPE 32 } Broken pipe. */
    public static int EPIPE() {
        return EPIPE;
    }

    private static final int ERANGE = 34;

    /** {@snippet lang=c : #define ERANGE 34 } Numerical result out of range. */
    public static int ERANGE() {
        return ERANGE;
    }

    private static final int EDEADLK = 35;

    /** {@snippet lang=c : #define EDEADLK 35 } Resource deadlock avoided. */
    public static int EDEADLK() {
        return EDEADLK;
    }

    private static final int ENAMETOOLONG = 36;

    /** {@snippet lang=c : #define ENAMETOOLONG 36 } File name too long. */
    public static int ENAMETOOLONG() {
        return ENAMETOOLONG;
    }

    private static final int ENOSYS = 38;

    /** {@snippet lang=c : #define ENOSYS 38 } Function not implemented. */
    public static int ENOSYS() {
        return ENOSYS;
    }

    private static final int EOVERFLOW = 75;

    /** {@snippet lang=c : #define EOVERFLOW 75 } Value too large for defined data type. */
    public static int EOVERFLOW() {
        return EOVERFLOW;
    }

    private static final int ENOTSOCK = 88;

    /** {@snippet lang=c : #define ENOTSOCK 88 } Socket operation on non-socket. */
    public static int ENOTSOCK() {
        return ENOTSOCK;
    }

    private static final int EMSGSIZE = 90;

    /** {@snippet lang=c : #define EMSGSIZE 90 } Message too long. */
    public static int EMSGSIZE() {
        return EMSGSIZE;
    }

    private static final int ENOTSUP = 95;

    /** {@snippet lang=c : #define ENOTSUP 95 } Operation not supported. */
    public static int ENOTSUP() {
        return ENOTSUP;
    }

    private static final int EOPNOTSUPP = 95;

    /** {@snippet lang=c : #define EOPNOTSUPP 95 } Same as ENOTSUP. */
    public static int EOPNOTSUPP() {
        return EOPNOTSUPP;
    }

    private static final int EADDRINUSE = 98;

    /** {@snippet lang=c : #define EADDRINUSE 98 } Address already in use. */
    public static int EADDRINUSE() {
        return EADDRINUSE;
    }

    private static final int ECONNRESET = 104;

    /** {@snippet lang=c : #define ECONNRESET 104 } Connection reset by peer. */
    public static int ECONNRESET() {
        return ECONNRESET;
    }

    private static final int ENOTCONN = 107;

    /** {@snippet lang=c : #define ENOTCONN 107 } Transport endpoint is not connected. */
    public static int ENOTCONN() {
        return ENOTCONN;
    }

    private static final int ETIMEDOUT = 110;

    /** {@snippet lang=c : #define ETIMEDOUT 110 } Connection timed out. */
    public static int ETIMEDOUT() {
        return ETIMEDOUT;
    }

    private static final int ECONNREFUSED = 111;

    /** {@snippet lang=c : #define ECONNREFUSED 111 } Connection refused. */
    public static int ECONNREFUSED() {
        return ECONNREFUSED;
    }

    private static final int EOWNERDEAD = 130;

    /** {@snippet lang=c : #define EOWNERDEAD 130 } Owner died. */
    public static int EOWNERDEAD() {
        return EOWNERDEAD;
    }

    private static final int ENOTRECOVERABLE = 131;

    /** {@snippet lang=c : #define ENOTRECOVERABLE 131 } State not recoverable. */
    public static int ENOTRECOVERABLE() {
        return ENOTRECOVERABLE;
    }

    /**
     * {@return the {@code errno} that the last function of these bindings called on the current
     * thread left behind} Meaningful only right after a call that reported failure; the value is
     * captured by the linker at the call ({@code Linker.Option.captureCallState("errno")}) into a
     * per-thread buffer, so JVM-internal native calls in between cannot overwrite it.
     */
    public static int errno() {
        return Native.errno();
    }
}
