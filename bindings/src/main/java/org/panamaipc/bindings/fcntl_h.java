package org.panamaipc.bindings;

/**
 * Flags for {@code shm_open} and {@code mq_open}.
 *
 * <p>Mirrors {@code <fcntl.h>}; every value is checked against the C compiler's by the ABI test.
 */
public final class fcntl_h {

    private fcntl_h() {
    }

    private static final int O_RDONLY = 0;

    /** {@snippet lang=c : #define O_RDONLY 0 } */
    public static int O_RDONLY() {
        return O_RDONLY;
    }

    private static final int O_WRONLY = 1;

    /** {@snippet lang=c : #define O_WRONLY 1 } */
    public static int O_WRONLY() {
        return O_WRONLY;
    }

    private static final int O_RDWR = 2;

    /** {@snippet lang=c : #define O_RDWR 2 } */
    public static int O_RDWR() {
        return O_RDWR;
    }

    private static final int O_CREAT = 0100;

    /** {@snippet lang=c : #define O_CREAT 0100 } */
    public static int O_CREAT() {
        return O_CREAT;
    }

    private static final int O_EXCL = 0200;

    /** {@snippet lang=c : #define O_EXCL 0200 } */
    public static int O_EXCL() {
        return O_EXCL;
    }

    private static final int O_TRUNC = 01000;

    /** {@snippet lang=c : #define O_TRUNC 01000 } */
    public static int O_TRUNC() {
        return O_TRUNC;
    }

    private static final int O_NONBLOCK = 04000;

    /** {@snippet lang=c : #define O_NONBLOCK 04000 } */
    public static int O_NONBLOCK() {
        return O_NONBLOCK;
    }

    private static final int O_CLOEXEC = 02000000;

    /** {@snippet lang=c : #define O_CLOEXEC 02000000 } */
    public static int O_CLOEXEC() {
        return O_CLOEXEC;
    }
}
