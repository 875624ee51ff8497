/*
 * pipc_message.h - C mirror of panama-ipc's messaging layouts: the envelope a mailbox, port or
 * typed sender writes before each value, the control segment of a mailbox or port, and the endpoint registry.
 *
 * The Java descriptors (org.panamaipc.message.EnvelopeDescriptor, MailboxDescriptor,
 * org.panamaipc.endpoint.RegistryDescriptor) describe the same bytes; the ABI probe prints every
 * offset below and LayoutAbiTest holds them equal. All fields are little-endian host order and
 * naturally aligned; only offsets, pids and counters live here, never addresses.
 */
#ifndef PIPC_MESSAGE_H
#define PIPC_MESSAGE_H

#include <pthread.h>
#include <stdint.h>
#include "pipc_segment.h"

/* "PMS1" read as a little-endian 32-bit word: an envelope of layout 1 */
#define PIPC_ENVELOPE_MAGIC UINT32_C(0x31534D50)
/* "PMF1": a ring record a bridge forwarded from another host; its envelope is laid out as
 * struct pipc_queue_envelope, whose type, source and sequence (the original sender's) stand for the
 * ring record header's */
#define PIPC_FORWARDED_MAGIC UINT32_C(0x31464D50)
/* reply_to of a message whose sender has no named endpoint */
#define PIPC_NO_REPLY INT64_C(-1)

/*
 * What a mailbox, a port or a typed sender (TypedSender) writes before the value, in every ring
 * record's payload (24 bytes; the ring's own record header already holds type, source endpoint,
 * length and sequence), unless the mailbox's flags have PIPC_MAILBOX_BARE or the sender is a
 * TypedSender.withoutEnvelope: then the payload is the value alone.
 */
struct pipc_envelope {
    uint32_t magic;              /* PIPC_ENVELOPE_MAGIC */
    int32_t  source_pid;         /* the sending process */
    int64_t  send_time;          /* CLOCK_MONOTONIC nanoseconds when sent: comparable across processes */
    int64_t  reply_to;           /* registry address of the sender's endpoint: sequence << 32 | entry; PIPC_NO_REPLY */
};

/* The same before the value in a POSIX message queue's message (40 bytes), with what a queue lacks. */
struct pipc_queue_envelope {
    struct pipc_envelope envelope;
    int32_t  type;               /* the message type */
    int32_t  source;             /* the sending handle's number within its process */
    int64_t  sequence;           /* per sending handle: 1, 2, 3, ... */
};

enum pipc_transport {
    PIPC_TRANSPORT_RING = 1,     /* an MPMC ring (mailbox) or MPSC ring (port) named NAME.ring */
    PIPC_TRANSPORT_QUEUE = 2,    /* a POSIX message queue named NAME.queue */
};

#define PIPC_KIND_MAILBOX 6
#define PIPC_KIND_REGISTRY 7
#define PIPC_MAILBOX_PORT 1      /* flags: a port, owned by its only receiver */
#define PIPC_MAILBOX_BARE 2      /* flags: ring records hold the value alone, no struct pipc_envelope */

enum pipc_owner_state {
    PIPC_OWNER_NONE = 0,         /* a mailbox: nobody owns it */
    PIPC_OWNER_OWNED = 1,        /* a port whose owner holds owner_lock */
    PIPC_OWNER_CLOSED = 2,       /* a port its owner closed */
    PIPC_OWNER_RECLAIMED = 3,    /* a port of a dead owner, being removed by whoever won this state */
};

/* The body of a mailbox's or port's control segment (segment kind PIPC_KIND_MAILBOX), 128 bytes. */
struct pipc_mailbox {
    uint32_t transport;          /* enum pipc_transport */
    uint32_t flags;              /* PIPC_MAILBOX_PORT, PIPC_MAILBOX_BARE */
    uint32_t capacity;           /* messages */
    uint32_t max_message_length; /* bytes of a value, the envelope not counted */
    uint8_t  reserved0[48];
    pthread_mutex_t owner_lock;  /* 64: robust, process-shared; a port's owner holds it while the port is open,
                                    so its first word (the kernel's robust futex word) holds the owner's tid,
                                    and the kernel sets FUTEX_OWNER_DIED in it when the owner dies */
    uint32_t owner_state;        /* enum pipc_owner_state */
    int32_t  owner_pid;
    uint64_t owner_start_time;   /* clock ticks after boot, field 22 of /proc/<pid>/stat */
    uint8_t  reserved1[8];
};

#define PIPC_REGISTRY_NAME_MAX 63

enum pipc_registry_state {
    PIPC_ENTRY_FREE = 0,
    PIPC_ENTRY_ACTIVE = 1,
};

/* The body of an endpoint registry (segment kind PIPC_KIND_REGISTRY): this, then the entries. */
struct pipc_registry {
    uint32_t entries;            /* how many entries follow */
    uint32_t entry_size;         /* sizeof(struct pipc_registry_entry) */
    uint32_t name_max;           /* PIPC_REGISTRY_NAME_MAX */
    uint32_t reserved0;
    uint8_t  reserved1[48];
    struct pipc_mutex lock;      /* 64: taken to register, unregister and clean up; never to look up */
};

/* One name (128 bytes). Readers copy it under the sequence (a seqlock) and retry if it moved. */
struct pipc_registry_entry {
    uint32_t sequence;           /* odd while written; its even value names the registration (reply addresses) */
    uint32_t state;              /* enum pipc_registry_state */
    int32_t  owner_pid;
    uint32_t name_length;        /* bytes of name */
    uint64_t owner_start_time;
    int64_t  registered_ms;      /* wall clock, milliseconds since the epoch */
    uint8_t  reserved[32];
    char     name[64];           /* 64: UTF-8, NUL-padded, at most PIPC_REGISTRY_NAME_MAX bytes */
};

_Static_assert(sizeof(struct pipc_envelope) == 24, "pipc_envelope is 24 bytes");
_Static_assert(sizeof(struct pipc_queue_envelope) == 40, "pipc_queue_envelope is 40 bytes");
_Static_assert(sizeof(struct pipc_mailbox) == 128, "pipc_mailbox is 128 bytes");
_Static_assert(sizeof(struct pipc_registry) == 128, "pipc_registry is 128 bytes");
_Static_assert(sizeof(struct pipc_registry_entry) == 128, "pipc_registry_entry is 128 bytes");

#endif
