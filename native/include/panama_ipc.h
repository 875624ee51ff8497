/*
 * panama_ipc.h - the C surface that panama-ipc binds.
 *
 * This is the header jextract reads for this project (see jextract/panama_ipc.args for the
 * exact functions, constants and structs that are bound) and the header the ABI probe and the
 * C peers compile against. It adds nothing of its own to the system headers except, in later
 * headers beside it, the mirrors of panama-ipc's shared-memory layouts.
 *
 * The futex system call has no libc wrapper: Java reaches it through syscall(SYS_futex, ...),
 * and so does pidfd_open on C libraries older than glibc 2.36.
 */
#ifndef PANAMA_IPC_H
#define PANAMA_IPC_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <linux/membarrier.h>

#endif /* PANAMA_IPC_H */
