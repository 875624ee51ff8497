package org.panamaipc.socket;

import org.panamaipc.bindings.cmsghdr;
import org.panamaipc.bindings.iovec;
import org.panamaipc.bindings.msghdr;
import org.panamaipc.bindings.socket_h;
import org.panamaipc.internal.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * One {@code sendmsg(2)} or {@code recvmsg(2)} of a message and its descriptors, laid out in native
 * memory that each thread allocates once: a {@code struct msghdr}, one {@code struct iovec}, room
 * for {@link DescriptorSocket#MAX_PAYLOAD} bytes of payload and a control buffer of
 * {@code CMSG_SPACE(4 * MAX_DESCRIPTORS)} bytes. A message is one record of a
 * {@code SOCK_SEQPACKET} socket: its boundaries are kept, and its descriptors arrive with it.
 */
final class Wire {

    private static final ThreadLocal<Wire> CURRENT = ThreadLocal.withInitial(Wire::new);
    private static final long CONTROL_SIZE = socket_h.CMSG_SPACE((long) Integer.BYTES * DescriptorSocket.MAX_DESCRIPTORS);

    private final MemorySegment message;
    private final MemorySegment vector;
    private final MemorySegment payload;
    private final MemorySegment control;

    private Wire() {
        Arena arena = Arena.ofAuto();
        message = msghdr.allocate(arena);
        vector = iovec.allocate(arena);
        payload = arena.allocate(DescriptorSocket.MAX_PAYLOAD);
        control = arena.allocate(CONTROL_SIZE, 8);
    }

    static Wire current() {
        return CURRENT.get();
    }

    /**
     * Sends {@code payload}'s remaining bytes (the caller checked they fit) with {@code fds},
     * without blocking and without {@code SIGPIPE}. {@return the bytes sent, or minus the errno}
     * The buffer's position is left as it is.
     */
    long send(int socket, ByteBuffer payload, int[] fds) {
        int length = payload.remaining();
        MemorySegment.copy(MemorySegment.ofBuffer(payload), 0, this.payload, 0, length);
        long controlLength = 0;
        if (fds.length > 0) {
            long data = (long) Integer.BYTES * fds.length;
            controlLength = socket_h.CMSG_SPACE(data);
            control.asSlice(0, controlLength).fill((byte) 0);
            cmsghdr.cmsg_len(control, socket_h.CMSG_LEN(data));
            cmsghdr.cmsg_level(control, socket_h.SOL_SOCKET());
            cmsghdr.cmsg_type(control, socket_h.SCM_RIGHTS());
            MemorySegment.copy(fds, 0, control, ValueLayout.JAVA_INT, socket_h.CMSG_DATA_OFFSET(), fds.length);
        }
        prepare(length, controlLength);
        long sent = socket_h.sendmsg(socket, message, socket_h.MSG_NOSIGNAL() | socket_h.MSG_DONTWAIT());
        return sent >= 0 ? sent : -Errno.last();
    }

    /**
     * Receives one message without blocking; received descriptors are close-on-exec. {@return the
     * payload length, or minus the errno} After a non-negative return, {@link #descriptors()},
     * {@link #flags()} and {@link #payload(int)} describe the message.
     */
    long receive(int socket) {
        prepare(DescriptorSocket.MAX_PAYLOAD, CONTROL_SIZE);
        long received = socket_h.recvmsg(socket, message, socket_h.MSG_DONTWAIT() | socket_h.MSG_CMSG_CLOEXEC());
        return received >= 0 ? received : -Errno.last();
    }

    /** {@return the {@code msg_flags} of the last receive: {@code MSG_TRUNC}, {@code MSG_CTRUNC}} */
    int flags() {
        return msghdr.msg_flags(message);
    }

    /** {@return a copy of the first {@code length} payload bytes of the last receive} */
    byte[] payload(int length) {
        return payload.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * {@return the descriptors that the last receive brought, in order, from every
     * {@code SCM_RIGHTS} control message} Other control messages are passed over.
     */
    int[] descriptors() {
        long used = msghdr.msg_controllen(message);
        int count = 0;
        int[] fds = new int[0];
        long offset = 0;
        long header = socket_h.CMSG_ALIGN(cmsghdr.sizeof());
        while (offset + header <= used) {
            MemorySegment cmsg = control.asSlice(offset);
            long length = cmsghdr.cmsg_len(cmsg);
            if (length < header || offset + length > used) {
                break; // malformed: the kernel never writes this
            }
            if (cmsghdr.cmsg_level(cmsg) == socket_h.SOL_SOCKET() && cmsghdr.cmsg_type(cmsg) == socket_h.SCM_RIGHTS()) {
                int n = (int) ((length - socket_h.CMSG_DATA_OFFSET()) / Integer.BYTES);
                fds = java.util.Arrays.copyOf(fds, count + n);
                MemorySegment.copy(cmsg, ValueLayout.JAVA_INT, socket_h.CMSG_DATA_OFFSET(), fds, count, n);
                count += n;
            }
            offset += socket_h.CMSG_ALIGN(length);
        }
        return fds;
    }

    private void prepare(long payloadLength, long controlLength) {
        iovec.iov_base(vector, payload);
        iovec.iov_len(vector, payloadLength);
        msghdr.msg_name(message, MemorySegment.NULL);
        msghdr.msg_namelen(message, 0);
        msghdr.msg_iov(message, vector);
        msghdr.msg_iovlen(message, 1);
        msghdr.msg_control(message, controlLength == 0 ? MemorySegment.NULL : control);
        msghdr.msg_controllen(message, controlLength);
        msghdr.msg_flags(message, 0);
    }
}
