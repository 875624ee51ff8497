package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Unix-domain sockets: creating, binding, listening, accepting and connecting; sending and
 * receiving messages with control data ({@code SCM_RIGHTS}, which carries file descriptors); the
 * peer's credentials ({@code SO_PEERCRED}); and the {@code CMSG_*} arithmetic that lays control
 * messages out, which C spells as macros and jextract cannot translate.
 *
 * <p>Mirrors {@code <sys/socket.h>}; the ABI test checks every constant, and the {@code CMSG_*}
 * results for several lengths, against the C compiler's.
 */
public final class socket_h {

    private socket_h() {
    }

    private static final int AF_UNIX = 1;

    /** {@snippet lang=c : #define AF_UNIX 1 } Local (Unix-domain) sockets. */
    public static int AF_UNIX() {
        return AF_UNIX;
    }

    private static final int SOCK_STREAM = 1;

    /** {@snippet lang=c : #define SOCK_STREAM 1 } A byte stream. */
    public static int SOCK_STREAM() {
        return SOCK_STREAM;
    }

    private static final int SOCK_SEQPACKET = 5;

    /** {@snippet lang=c : #define SOCK_SEQPACKET 5 } Connected, reliable, with message boundaries kept. */
    public static int SOCK_SEQPACKET() {
        return SOCK_SEQPACKET;
    }

    private static final int SOCK_NONBLOCK = 04000;

    /** {@snippet lang=c : #define SOCK_NONBLOCK 04000 } For {@code socket} and {@code accept4}: the descriptor is non-blocking. */
    public static int SOCK_NONBLOCK() {
        return SOCK_NONBLOCK;
    }

    private static final int SOCK_CLOEXEC = 02000000;

    /** {@snippet lang=c : #define SOCK_CLOEXEC 02000000 } For {@code socket} and {@code accept4}: close-on-exec. */
    public static int SOCK_CLOEXEC() {
        return SOCK_CLOEXEC;
    }

    private static final int SOL_SOCKET = 1;

    /** {@snippet lang=c : #define SOL_SOCKET 1 } The socket level, for {@code getsockopt} and control messages. */
    public static int SOL_SOCKET() {
        return SOL_SOCKET;
    }

    private static final int SO_PEERCRED = 17;

    /** {@snippet lang=c : #define SO_PEERCRED 17 } The credentials of the peer, a {@code struct ucred}. */
    public static int SO_PEERCRED() {
        return SO_PEERCRED;
    }

    private static final int SCM_RIGHTS = 1;

    /** {@snippet lang=c : #define SCM_RIGHTS 1 } A control message that carries file descriptors. */
    public static int SCM_RIGHTS() {
        return SCM_RIGHTS;
    }

    private static final int MSG_CTRUNC = 0x8;

    /** {@snippet lang=c : #define MSG_CTRUNC 0x8 } In {@code msg_flags}: control data was cut short for want of room. */
    public static int MSG_CTRUNC() {
        return MSG_CTRUNC;
    }

    private static final int MSG_TRUNC = 0x20;

    /** {@snippet lang=c : #define MSG_TRUNC 0x20 } In {@code msg_flags}: the message was longer than the buffer. */
    public static int MSG_TRUNC() {
        return MSG_TRUNC;
    }

    private static final int MSG_DONTWAIT = 0x40;

    /** {@snippet lang=c : #define MSG_DONTWAIT 0x40 } Do not block. */
    public static int MSG_DONTWAIT() {
        return MSG_DONTWAIT;
    }

    private static final int MSG_NOSIGNAL = 0x4000;

    /** {@snippet lang=c : #define MSG_NOSIGNAL 0x4000 } Do not raise {@code SIGPIPE} when the peer has gone; fail with {@code EPIPE}. */
    public static int MSG_NOSIGNAL() {
        return MSG_NOSIGNAL;
    }

    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    /** {@snippet lang=c : #define MSG_CMSG_CLOEXEC 0x40000000 } Received descriptors are close-on-exec. */
    public static int MSG_CMSG_CLOEXEC() {
        return MSG_CMSG_CLOEXEC;
    }

    private static final int SHUT_RD = 0;

    /** {@snippet lang=c : #define SHUT_RD 0 } */
    public static int SHUT_RD() {
        return SHUT_RD;
    }

    private static final int SHUT_WR = 1;

    /** {@snippet lang=c : #define SHUT_WR 1 } */
    public static int SHUT_WR() {
        return SHUT_WR;
    }

    private static final int SHUT_RDWR = 2;

    /** {@snippet lang=c : #define SHUT_RDWR 2 } */
    public static int SHUT_RDWR() {
        return SHUT_RDWR;
    }

    private static final int SOMAXCONN = 4096;

    /** {@snippet lang=c : #define SOMAXCONN 4096 } The longest listen backlog the headers name. */
    public static int SOMAXCONN() {
        return SOMAXCONN;
    }

    private static final long ALIGNMENT = size_t.byteSize();

    /**
     * {@return {@code length} rounded up to the alignment of control messages (that of {@code size_t})}
     * {@snippet lang=c : #define CMSG_ALIGN(len) (((len) + sizeof (size_t) - 1) & (size_t) ~(sizeof (size_t) - 1)) }
     */
    public static long CMSG_ALIGN(long length) {
        return (length + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
    }

    /**
     * {@return the room a control message with {@code length} bytes of data takes in
     * {@code msg_control}, padding included}
     * {@snippet lang=c : #define CMSG_SPACE(len) (CMSG_ALIGN (len) + CMSG_ALIGN (sizeof (struct cmsghdr))) }
     */
    public static long CMSG_SPACE(long length) {
        return CMSG_ALIGN(length) + CMSG_ALIGN(cmsghdr.sizeof());
    }

    /**
     * {@return the {@code cmsg_len} of a control message with {@code length} bytes of data}
     * {@snippet lang=c : #define CMSG_LEN(len) (CMSG_ALIGN (sizeof (struct cmsghdr)) + (len)) }
     */
    public static long CMSG_LEN(long length) {
        return CMSG_ALIGN(cmsghdr.sizeof()) + length;
    }

    /**
     * {@return the offset of a control message's data from its header: where {@code CMSG_DATA}
     * points} glibc's {@code CMSG_DATA(cmsg)} is {@code cmsg->__cmsg_data}, a flexible array at
     * the end of {@code struct cmsghdr}.
     * {@snippet lang=c : #define CMSG_DATA(cmsg) ((cmsg)->__cmsg_data) }
     */
    public static long CMSG_DATA_OFFSET() {
        return cmsghdr.sizeof();
    }

    private static final class socket {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_INT, // domain: AF_*,
                C_INT, // type: SOCK_*, with SOCK_NONBLOCK and SOCK_CLOEXEC,
                C_INT); // protocol: 0
        static final MethodHandle HANDLE = Native.downcallErrno("socket", DESC);
    }

    /**
     * Creates a socket; returns its descriptor, or -1.
     * {@snippet lang=c : int socket(int domain, int type, int protocol) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int socket(int domain, int type, int protocol) {
        try {
            return (int) socket.HANDLE.invokeExact(Native.capture(), domain, type, protocol);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class bind {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_INT, // fd,
                C_POINTER, // addr: const struct sockaddr *, here a struct sockaddr_un,
                socklen_t); // len: the address's size
        static final MethodHandle HANDLE = Native.downcallErrno("bind", DESC);
    }

    /**
     * Gives a socket its address; for a Unix-domain socket, creates the socket file. Returns 0 or -1.
     * {@snippet lang=c : int bind(int fd, const struct sockaddr *addr, socklen_t len) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int bind(int fd, MemorySegment addr, int len) {
        try {
            return (int) bind.HANDLE.invokeExact(Native.capture(), fd, addr, len);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class listen {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_INT, // fd,
                C_INT); // n: backlog
        static final MethodHandle HANDLE = Native.downcallErrno("listen", DESC);
    }

    /**
     * Makes a bound socket accept connections. Returns 0 or -1.
     * {@snippet lang=c : int listen(int fd, int n) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int listen(int fd, int n) {
        try {
            return (int) listen.HANDLE.invokeExact(Native.capture(), fd, n);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class accept4 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_INT, // fd,
                C_POINTER, // addr: struct sockaddr *, or NULL,
                C_POINTER, // addr_len: socklen_t *, or NULL,
                C_INT); // flags: SOCK_NONBLOCK, SOCK_CLOEXEC
        static final MethodHandle HANDLE = Native.downcallErrno("accept4", DESC);
    }

    /**
     * Takes a pending connection; returns the connected socket's descriptor, or -1 ({@code EAGAIN} on a non-blocking socket with none pending).
     * {@snippet lang=c : int accept4(int fd, struct sockaddr *addr, socklen_t *addr_len, int flags) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int accept4(int fd, MemorySegment addr, MemorySegment addr_len, int flags) {
        try {
            return (int) accept4.HANDLE.invokeExact(Native.capture(), fd, addr, addr_len, flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class connect {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_INT, // fd,
                C_POINTER, // addr: const struct sockaddr *,
                socklen_t); // len
        static final MethodHandle HANDLE = Native.downcallErrno("connect", DESC);
    }

    /**
     * Connects a socket to an address. Returns 0 or -1.
     * {@snippet lang=c : int connect(int fd, const struct sockaddr *addr, socklen_t len) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int connect(int fd, MemorySegment addr, int len) {
        try {
            return (int) connect.HANDLE.invokeExact(Native.capture(), fd, addr, len);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class sendmsg {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                ssize_t, // return,
                C_INT, // fd,
                C_POINTER, // message: const struct msghdr *,
                C_INT); // flags: MSG_*
        static final MethodHandle HANDLE = Native.downcallErrno("sendmsg", DESC);
    }

    /**
     * Sends a message with control data; returns the number of bytes sent, or -1.
     * {@snippet lang=c : ssize_t sendmsg(int fd, const struct msghdr *message, int flags) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static long sendmsg(int fd, MemorySegment message, int flags) {
        try {
            return (long) sendmsg.HANDLE.invokeExact(Native.capture(), fd, message, flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class recvmsg {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                ssize_t, // return,
                C_INT, // fd,
                C_POINTER, // message: struct msghdr *, filled in,
                C_INT); // flags: MSG_*
        static final MethodHandle HANDLE = Native.downcallErrno("recvmsg", DESC);
    }

    /**
     * Receives a message with control data; returns the number of bytes received (0 at the end of the connection), or -1.
     * {@snippet lang=c : ssize_t recvmsg(int fd, struct msghdr *message, int flags) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static long recvmsg(int fd, MemorySegment message, int flags) {
        try {
            return (long) recvmsg.HANDLE.invokeExact(Native.capture(), fd, message, flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class getsockopt {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_INT, // fd,
                C_INT, // level: SOL_*,
                C_INT, // optname: SO_*,
                C_POINTER, // optval: void *, receives the value,
                C_POINTER); // optlen: socklen_t *, in: room, out: length
        static final MethodHandle HANDLE = Native.downcallErrno("getsockopt", DESC);
    }

    /**
     * Reads a socket option. Returns 0 or -1.
     * {@snippet lang=c : int getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int getsockopt(int fd, int level, int optname, MemorySegment optval, MemorySegment optlen) {
        try {
            return (int) getsockopt.HANDLE.invokeExact(Native.capture(), fd, level, optname, optval, optlen);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class shutdown {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_INT, // fd,
                C_INT); // how: SHUT_*
        static final MethodHandle HANDLE = Native.downcallErrno("shutdown", DESC);
    }

    /**
     * Shuts down part of a full-duplex connection. Returns 0 or -1.
     * {@snippet lang=c : int shutdown(int fd, int how) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int shutdown(int fd, int how) {
        try {
            return (int) shutdown.HANDLE.invokeExact(Native.capture(), fd, how);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
