"""A foreign peer for DescriptorAcrossProcessesTest's event counters, in Python's standard library only.

Usage: python3 eventfd_peer.py SOCKET_PATH

Connects to the Java server at SOCKET_PATH (AF_UNIX, SOCK_SEQPACKET), then
1. receives an eventfd from Java (socket.recv_fds) and adds 7 to it (os.eventfd_write);
2. makes an eventfd of its own with EFD_SEMAPHORE and sends it with the payload b"take one";
3. waits (select, then os.eventfd_read) until Java adds to it, which takes one, sends
   b"python took N" and exits 0, or prints what was wrong and exits 1.
"""
import os
import select
import socket
import sys


def main():
    path = sys.argv[1]
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as sock:
        sock.settimeout(60)
        sock.connect(path)

        payload, fds, _flags, _address = socket.recv_fds(sock, 65536, 4)
        if len(fds) != 1 or payload != b"add 7":
            print("python: expected one descriptor and b'add 7', got", fds, payload, flush=True)
            return 1
        os.eventfd_write(fds[0], 7)
        os.close(fds[0])
        print("python: added 7 to Java's counter", flush=True)

        mine = os.eventfd(0, os.EFD_SEMAPHORE | os.EFD_CLOEXEC)
        socket.send_fds(sock, [b"take one"], [mine])
        # Java makes the descriptor non-blocking when it takes it (the file status is shared
        # between the two descriptors), so wait for it to be readable, then read
        ready, _, _ = select.select([mine], [], [], 60)
        if not ready:
            print("python: nothing added to my counter in 60 s", flush=True)
            return 1
        took = os.eventfd_read(mine)
        os.close(mine)
        print("python: took", took, flush=True)
        sock.send(b"python took %d" % took)
    return 0


if __name__ == "__main__":
    sys.exit(main())
