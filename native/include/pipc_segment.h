/*
 * pipc_segment.h - C mirror of panama-ipc's segment header and synchronisation layouts.
 *
 * Every panama-ipc shared-memory object starts with a struct pipc_segment_header; the structure
 * the segment holds (a mutex, a semaphore, a ring, ...) follows at header_size. The Java
 * descriptors (org.panamaipc.shm.SegmentHeaderDescriptor, org.panamaipc.sync.*Descriptor) describe
 * the same bytes; the ABI probe prints every offset below and a Java test holds them equal.
 *
 * All fields are little-endian host order and naturally aligned. Only offsets and sizes live in
 * shared memory, never addresses.
 */
#ifndef PIPC_SEGMENT_H
#define PIPC_SEGMENT_H

#include <stdint.h>

/* "PNMA_IPC" read as a little-endian 64-bit word */
#define PIPC_MAGIC UINT64_C(0x4350495F414D4E50)
/* the ready word's value once the creator has initialised everything */
#define PIPC_READY UINT32_C(0x59444552)

enum pipc_kind {
    PIPC_KIND_MUTEX = 1,
    PIPC_KIND_SEMAPHORE = 2,
    PIPC_KIND_EVENT = 3,
    PIPC_KIND_LATCH = 4,
};

/* 128 bytes: two cache lines; the ready word is alone in the second */
struct pipc_segment_header {
    uint64_t magic;              /* PIPC_MAGIC */
    uint32_t kind;               /* enum pipc_kind */
    uint32_t layout_version;     /* of the kind's layout */
    uint64_t total_size;         /* bytes of the whole object */
    uint64_t header_size;        /* offset of the body: sizeof(struct pipc_segment_header) */
    uint64_t body_size;          /* total_size - header_size */
    uint32_t flags;              /* none defined yet: must be 0 */
    int32_t  creator_pid;
    uint64_t creator_start_time; /* clock ticks after boot, field 22 of /proc/<pid>/stat */
    int64_t  creation_time_ms;   /* wall clock, milliseconds since the epoch */
    uint32_t ready;              /* futex: 0 while initialising, PIPC_READY after; stored last, with release */
    uint32_t reserved0;
    uint8_t  reserved[56];
};

/* an IpcMutex: 64 bytes, one cache line */
struct pipc_mutex {
    uint32_t word;               /* futex: 0 free, else owner pid | FUTEX_WAITERS if someone sleeps */
    uint32_t owner_died;         /* 1 while the current holding was taken over from a dead owner */
    uint64_t owner_start_time;   /* the owner's process start time, clock ticks after boot */
    uint64_t owner_thread;       /* the owning Java thread's id, within the owner process */
    int32_t  owner_pid;          /* copy of the owner pid, written after word, to pair with owner_start_time */
    uint32_t owner_sequence;     /* odd while the owner writes owner_start_time and owner_pid (a seqlock) */
    uint64_t acquisitions;       /* statistics: locks taken */
    uint64_t takeovers;          /* statistics: locks taken over from dead owners */
    uint8_t  reserved[16];
};

/* an IpcSemaphore: 64 bytes */
struct pipc_semaphore {
    uint32_t permits;            /* futex: permits available now */
    uint32_t waiters;            /* threads that sleep or are about to, in all processes */
    uint32_t max_permits;        /* the initial count, for stat and checks */
    uint32_t reserved0;
    uint8_t  reserved[48];
};

/* an IpcEvent: 64 bytes */
struct pipc_event {
    uint32_t state;              /* futex: 0 reset, 1 set */
    uint32_t auto_reset;         /* 1: a successful await resets it */
    uint32_t waiters;
    uint32_t reserved0;
    uint8_t  reserved[48];
};

/* an IpcLatch: 64 bytes */
struct pipc_latch {
    uint32_t count;              /* futex: counts down to 0, then stays 0 */
    uint32_t initial_count;
    uint8_t  reserved[56];
};

_Static_assert(sizeof(struct pipc_segment_header) == 128, "segment header is two cache lines");
_Static_assert(sizeof(struct pipc_mutex) == 64, "mutex is one cache line");
_Static_assert(sizeof(struct pipc_semaphore) == 64, "semaphore is one cache line");
_Static_assert(sizeof(struct pipc_event) == 64, "event is one cache line");
_Static_assert(sizeof(struct pipc_latch) == 64, "latch is one cache line");

#endif /* PIPC_SEGMENT_H */
