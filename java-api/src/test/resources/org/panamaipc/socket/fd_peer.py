"""A foreign peer for DescriptorAcrossProcessesTest, in Python's standard library only.

Usage: python3 fd_peer.py SOCKET_PATH SIZE

Connects to the Java server at SOCKET_PATH (AF_UNIX, SOCK_SEQPACKET), then
1. creates a memfd of SIZE bytes, fills it with byte i = (7 * i + 3) % 256, seals it against
   shrinking and growing, and sends it with the payload b"from python" (socket.send_fds);
2. receives a memfd from Java (socket.recv_fds), maps it and checks that byte i = (5 * i + 1) % 256;
3. sends b"python checked N bytes" and exits 0, or prints what was wrong and exits 1.
"""
import fcntl
import mmap
import os
import socket
import sys


def main():
    path, size = sys.argv[1], int(sys.argv[2])
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as sock:
        sock.settimeout(60)
        sock.connect(path)

        fd = os.memfd_create("python-peer", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        os.ftruncate(fd, size)
        with mmap.mmap(fd, size) as memory:
            memory[:] = bytes((7 * i + 3) % 256 for i in range(size))
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW)
        socket.send_fds(sock, [b"from python"], [fd])
        os.close(fd)
        print("python: sent a sealed memfd of", size, "bytes", flush=True)

        payload, fds, _flags, _address = socket.recv_fds(sock, 65536, 4)
        if len(fds) != 1:
            print("python: expected one descriptor, got", fds, "with", payload, flush=True)
            return 1
        try:
            length = os.fstat(fds[0]).st_size
            with mmap.mmap(fds[0], length, prot=mmap.PROT_READ) as memory:
                expected = bytes((5 * i + 1) % 256 for i in range(length))
                if memory[:] != expected:
                    print("python: Java's bytes differ", flush=True)
                    return 1
        finally:
            for received in fds:
                os.close(received)
        print("python: checked", length, "bytes from Java, payload", payload, flush=True)
        sock.send(b"python checked %d bytes" % length)
    return 0


if __name__ == "__main__":
    sys.exit(main())
