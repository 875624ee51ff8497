/*
 * abi_probe - prints, from the real system headers, every constant, type size, struct size
 * and field offset that panama-ipc's Java bindings use, one "key=value" a line:
 *
 *   NAME=value                    a constant (decimal; unsigned constants as unsigned)
 *   sizeof.TYPE=n                 a scalar type (pid_t, mode_t, ...)
 *   sizeof.STRUCT=n               a struct
 *   offsetof.STRUCT.FIELD=n       a field's offset
 *   sizeof.STRUCT.FIELD=n         a field's size
 *
 *   layout.STRUCT.FIELD=n         a field offset of a panama-ipc shared-memory layout (pipc_*.h)
 *   layout.STRUCT.sizeof=n        the size of such a layout
 *   layout.CONSTANT=n             a constant of such a layout (magic, kinds)
 *
 * The ABI test (bindings/src/test/.../AbiTest.java) runs this program and holds every Java value
 * equal to the C one, in both directions: a key the Java side lacks fails the test, and so does
 * a Java constant the probe does not print. Add a line here whenever bindings/ binds something new.
 */
#include "panama_ipc.h"
#include "pipc_segment.h"
#include "pipc_ring.h"
#include "pipc_message.h"
#include "pipc_broadcast.h"
#include "pipc_rendezvous.h"
#include "pipc_unbounded.h"
#include <stdio.h>

#define CONSTANT(name) printf("%s=%lld\n", #name, (long long) (name));
#define UCONSTANT(name) printf("%s=%llu\n", #name, (unsigned long long) (name));
#define TYPE(t) printf("sizeof.%s=%zu\n", #t, sizeof(t));
#define CTYPE(javaName, t) printf("sizeof.%s=%zu\n", javaName, sizeof(t));
#define STRUCT(s) printf("sizeof.%s=%zu\n", #s, sizeof(struct s));
#define FIELD(s, f) \
    printf("offsetof.%s.%s=%zu\n", #s, #f, offsetof(struct s, f)); \
    printf("sizeof.%s.%s=%zu\n", #s, #f, sizeof(((struct s *) 0)->f));
#define FIELD_AS(s, javaName, path) \
    printf("offsetof.%s.%s=%zu\n", #s, javaName, offsetof(struct s, path)); \
    printf("sizeof.%s.%s=%zu\n", #s, javaName, sizeof(((struct s *) 0)->path));

#define LAYOUT(s) printf("layout.%s.sizeof=%zu\n", #s, sizeof(struct s));
#define LFIELD(s, f) printf("layout.%s.%s=%zu\n", #s, #f, offsetof(struct s, f));
#define LCONSTANT(name) printf("layout.%s=%lld\n", #name, (long long) (name));

static void broadcast_layouts(void) {
    LCONSTANT(PIPC_KIND_BROADCAST) LCONSTANT(PIPC_BROADCAST_LAYOUT_VERSION)
    LCONSTANT(PIPC_BROADCAST_BLOCK) LCONSTANT(PIPC_BROADCAST_LOSSY)
    LCONSTANT(PIPC_BROADCAST_FREE) LCONSTANT(PIPC_BROADCAST_REGISTERING) LCONSTANT(PIPC_BROADCAST_ACTIVE)
    LCONSTANT(PIPC_BROADCAST_WRITING) LCONSTANT(PIPC_BROADCAST_RECORD_ALIGNMENT)
    LAYOUT(pipc_broadcast_record_header)
    LFIELD(pipc_broadcast_record_header, tag) LFIELD(pipc_broadcast_record_header, length)
    LFIELD(pipc_broadcast_record_header, type)
    LAYOUT(pipc_broadcast_subscriber)
    LFIELD(pipc_broadcast_subscriber, state) LFIELD(pipc_broadcast_subscriber, sleeping)
    LFIELD(pipc_broadcast_subscriber, pid) LFIELD(pipc_broadcast_subscriber, start_time)
    LFIELD(pipc_broadcast_subscriber, cursor) LFIELD(pipc_broadcast_subscriber, received)
    LFIELD(pipc_broadcast_subscriber, lost) LFIELD(pipc_broadcast_subscriber, sleeps)
    LAYOUT(pipc_broadcast)
    LFIELD(pipc_broadcast, capacity) LFIELD(pipc_broadcast, records_offset) LFIELD(pipc_broadcast, slot_length)
    LFIELD(pipc_broadcast, max_message_length) LFIELD(pipc_broadcast, policy)
    LFIELD(pipc_broadcast, subscriber_slots) LFIELD(pipc_broadcast, tail)
    LFIELD(pipc_broadcast, publisher_state) LFIELD(pipc_broadcast, publisher_pid)
    LFIELD(pipc_broadcast, publisher_start_time) LFIELD(pipc_broadcast, publisher_full)
    LFIELD(pipc_broadcast, data_signal) LFIELD(pipc_broadcast, subscribers_waiting)
    LFIELD(pipc_broadcast, wake_needed)
    LFIELD(pipc_broadcast, space_signal) LFIELD(pipc_broadcast, publisher_waiting)
    LFIELD(pipc_broadcast, publisher_wake_at)
    LFIELD(pipc_broadcast, publishers_ever) LFIELD(pipc_broadcast, publishers_left)
    LFIELD(pipc_broadcast, subscribers_ever) LFIELD(pipc_broadcast, subscribers_left)
    LFIELD(pipc_broadcast, slots_in_use) LFIELD(pipc_broadcast, retired_received)
    LFIELD(pipc_broadcast, retired_lost) LFIELD(pipc_broadcast, lock) LFIELD(pipc_broadcast, subscribers)
    printf("layout.pipc_broadcast_slot_length.0=%u\n", pipc_broadcast_slot_length(0));
    printf("layout.pipc_broadcast_slot_length.1008=%u\n", pipc_broadcast_slot_length(1008));
    printf("layout.pipc_broadcast_slot_length.1009=%u\n", pipc_broadcast_slot_length(1009));
    printf("layout.pipc_broadcast_records_offset.64=%llu\n", (unsigned long long) pipc_broadcast_records_offset(64));
    printf("layout.pipc_broadcast_records_offset.3=%llu\n", (unsigned long long) pipc_broadcast_records_offset(3));
}

static void unbounded_layouts(void) {
    LCONSTANT(PIPC_KIND_UNBOUNDED) LCONSTANT(PIPC_KIND_SPILL)
    LCONSTANT(PIPC_UNBOUNDED_LAYOUT_VERSION) LCONSTANT(PIPC_SPILL_LAYOUT_VERSION)
    LCONSTANT(PIPC_SPILL_OPEN) LCONSTANT(PIPC_SPILL_SEGMENT_SHIFT) LCONSTANT(PIPC_SPILL_RECORD_ALIGNMENT)
    LCONSTANT(PIPC_UNBOUNDED_DOORBELL_TYPE)
    LAYOUT(pipc_unbounded)
    LFIELD(pipc_unbounded, ring_capacity) LFIELD(pipc_unbounded, max_message_length) LFIELD(pipc_unbounded, mode)
    LFIELD(pipc_unbounded, spill_segment_size) LFIELD(pipc_unbounded, memory_cap)
    LFIELD(pipc_unbounded, write_position) LFIELD(pipc_unbounded, sent) LFIELD(pipc_unbounded, spilled)
    LFIELD(pipc_unbounded, segments_created) LFIELD(pipc_unbounded, read_position) LFIELD(pipc_unbounded, received)
    LFIELD(pipc_unbounded, segments_removed) LFIELD(pipc_unbounded, spill_taken)
    LFIELD(pipc_unbounded, receiver_waiting)
    LAYOUT(pipc_spill)
    LFIELD(pipc_spill, index) LFIELD(pipc_spill, end)
    LAYOUT(pipc_spill_record_header)
    LFIELD(pipc_spill_record_header, length) LFIELD(pipc_spill_record_header, type)
}

static void rendezvous_layouts(void) {
    LCONSTANT(PIPC_KIND_RENDEZVOUS) LCONSTANT(PIPC_RENDEZVOUS_LAYOUT_VERSION)
    LCONSTANT(PIPC_RV_FREE) LCONSTANT(PIPC_RV_REGISTERING) LCONSTANT(PIPC_RV_ACTIVE)
    LCONSTANT(PIPC_RV_NONE) LCONSTANT(PIPC_RV_IDLE) LCONSTANT(PIPC_RV_WAITING) LCONSTANT(PIPC_RV_CLAIMED)
    LCONSTANT(PIPC_RV_FILLED) LCONSTANT(PIPC_RV_TAKING) LCONSTANT(PIPC_RV_CODE_MASK)
    LCONSTANT(PIPC_RV_SENDER_SHIFT) LCONSTANT(PIPC_RV_GENERATION_SHIFT)
    LCONSTANT(PIPC_RV_SLEEPING_ON_EVENTS) LCONSTANT(PIPC_RV_SLEEPING_ON_READY)
    LAYOUT(pipc_rendezvous_sender)
    LFIELD(pipc_rendezvous_sender, state) LFIELD(pipc_rendezvous_sender, events) LFIELD(pipc_rendezvous_sender, pid)
    LFIELD(pipc_rendezvous_sender, sleeping) LFIELD(pipc_rendezvous_sender, start_time)
    LFIELD(pipc_rendezvous_sender, ack) LFIELD(pipc_rendezvous_sender, generation)
    LFIELD(pipc_rendezvous_sender, sent) LFIELD(pipc_rendezvous_sender, withdrawn)
    LFIELD(pipc_rendezvous_sender, offering)
    LAYOUT(pipc_rendezvous_receiver)
    LFIELD(pipc_rendezvous_receiver, state) LFIELD(pipc_rendezvous_receiver, exchange)
    LFIELD(pipc_rendezvous_receiver, pid) LFIELD(pipc_rendezvous_receiver, sleeping)
    LFIELD(pipc_rendezvous_receiver, start_time) LFIELD(pipc_rendezvous_receiver, taken)
    LFIELD(pipc_rendezvous_receiver, ticket) LFIELD(pipc_rendezvous_receiver, sequence)
    LFIELD(pipc_rendezvous_receiver, length) LFIELD(pipc_rendezvous_receiver, type)
    LFIELD(pipc_rendezvous_receiver, source) LFIELD(pipc_rendezvous_receiver, payload)
    LAYOUT(pipc_rendezvous)
    LFIELD(pipc_rendezvous, max_message_length) LFIELD(pipc_rendezvous, sender_slots)
    LFIELD(pipc_rendezvous, receiver_slots) LFIELD(pipc_rendezvous, receiver_slot_length)
    LFIELD(pipc_rendezvous, senders_offset) LFIELD(pipc_rendezvous, receivers_offset)
    LFIELD(pipc_rendezvous, ready_signal) LFIELD(pipc_rendezvous, senders_offering)
    LFIELD(pipc_rendezvous, senders_sleeping) LFIELD(pipc_rendezvous, senders_ever)
    LFIELD(pipc_rendezvous, senders_left) LFIELD(pipc_rendezvous, receivers_ever)
    LFIELD(pipc_rendezvous, receivers_left) LFIELD(pipc_rendezvous, sender_slots_in_use)
    LFIELD(pipc_rendezvous, receiver_slots_in_use) LFIELD(pipc_rendezvous, retired_taken)
    LFIELD(pipc_rendezvous, dropped) LFIELD(pipc_rendezvous, lock) LFIELD(pipc_rendezvous, senders)
    printf("layout.pipc_rendezvous_receiver_slot_length.0=%u\n", pipc_rendezvous_receiver_slot_length(0));
    printf("layout.pipc_rendezvous_receiver_slot_length.4096=%u\n", pipc_rendezvous_receiver_slot_length(4096));
    printf("layout.pipc_rendezvous_receiver_slot_length.4097=%u\n", pipc_rendezvous_receiver_slot_length(4097));
    printf("layout.pipc_rendezvous_receivers_offset.16=%llu\n", (unsigned long long) pipc_rendezvous_receivers_offset(16));
    printf("layout.pipc_rendezvous_receivers_offset.3=%llu\n", (unsigned long long) pipc_rendezvous_receivers_offset(3));
    printf("layout.pipc_rendezvous_exchange_word.4.3=%u\n", pipc_rendezvous_exchange_word(PIPC_RV_FILLED, 3));
}

static void layouts(void) {
    LCONSTANT(PIPC_MAGIC) LCONSTANT(PIPC_READY)
    LCONSTANT(PIPC_KIND_MUTEX) LCONSTANT(PIPC_KIND_SEMAPHORE) LCONSTANT(PIPC_KIND_EVENT)
    LCONSTANT(PIPC_KIND_LATCH)
    LAYOUT(pipc_segment_header)
    LFIELD(pipc_segment_header, magic) LFIELD(pipc_segment_header, kind)
    LFIELD(pipc_segment_header, layout_version) LFIELD(pipc_segment_header, total_size)
    LFIELD(pipc_segment_header, header_size) LFIELD(pipc_segment_header, body_size)
    LFIELD(pipc_segment_header, flags) LFIELD(pipc_segment_header, creator_pid)
    LFIELD(pipc_segment_header, creator_start_time) LFIELD(pipc_segment_header, creation_time_ms)
    LFIELD(pipc_segment_header, ready)
    LAYOUT(pipc_mutex)
    LFIELD(pipc_mutex, word) LFIELD(pipc_mutex, owner_died) LFIELD(pipc_mutex, owner_start_time)
    LFIELD(pipc_mutex, owner_thread) LFIELD(pipc_mutex, owner_pid) LFIELD(pipc_mutex, owner_sequence)
    LFIELD(pipc_mutex, acquisitions)
    LFIELD(pipc_mutex, takeovers)
    LAYOUT(pipc_semaphore)
    LFIELD(pipc_semaphore, permits) LFIELD(pipc_semaphore, waiters) LFIELD(pipc_semaphore, max_permits)
    LAYOUT(pipc_event)
    LFIELD(pipc_event, state) LFIELD(pipc_event, auto_reset) LFIELD(pipc_event, waiters)
    LAYOUT(pipc_latch)
    LFIELD(pipc_latch, count) LFIELD(pipc_latch, initial_count)

    LCONSTANT(PIPC_KIND_CHANNEL)
    LCONSTANT(PIPC_CHANNEL_SPSC) LCONSTANT(PIPC_CHANNEL_MPSC) LCONSTANT(PIPC_CHANNEL_MPMC)
    LCONSTANT(PIPC_RECORD_COMMITTED) LCONSTANT(PIPC_RECORD_PADDING) LCONSTANT(PIPC_RECORD_SKIP)
    LCONSTANT(PIPC_RECORD_ALIGNMENT)
    LCONSTANT(PIPC_EP_FREE) LCONSTANT(PIPC_EP_REGISTERING) LCONSTANT(PIPC_EP_ACTIVE)
    LCONSTANT(PIPC_ROLE_SENDER) LCONSTANT(PIPC_ROLE_RECEIVER) LCONSTANT(PIPC_EP_FLAG_BLOCKING)
    LAYOUT(pipc_record_header)
    LFIELD(pipc_record_header, tag) LFIELD(pipc_record_header, length) LFIELD(pipc_record_header, type)
    LFIELD(pipc_record_header, source) LFIELD(pipc_record_header, sequence)
    LAYOUT(pipc_endpoint)
    LFIELD(pipc_endpoint, state) LFIELD(pipc_endpoint, role) LFIELD(pipc_endpoint, pid)
    LFIELD(pipc_endpoint, flags) LFIELD(pipc_endpoint, start_time) LFIELD(pipc_endpoint, claim_start)
    LFIELD(pipc_endpoint, claim_end) LFIELD(pipc_endpoint, sequence) LFIELD(pipc_endpoint, messages)
    LFIELD(pipc_endpoint, bytes) LFIELD(pipc_endpoint, waits) LFIELD(pipc_endpoint, sleeping)
    LCONSTANT(PIPC_CLAIM_WON) LCONSTANT(PIPC_CHANNEL_LAYOUT_VERSION)
    LAYOUT(pipc_channel)
    LFIELD(pipc_channel, capacity) LFIELD(pipc_channel, records_offset)
    LFIELD(pipc_channel, max_message_length) LFIELD(pipc_channel, channel_type)
    LFIELD(pipc_channel, endpoint_slots) LFIELD(pipc_channel, tail) LFIELD(pipc_channel, head)
    LFIELD(pipc_channel, data_signal) LFIELD(pipc_channel, receivers_waiting)
    LFIELD(pipc_channel, blocking_receivers) LFIELD(pipc_channel, space_signal)
    LFIELD(pipc_channel, senders_waiting) LFIELD(pipc_channel, blocking_senders)
    LFIELD(pipc_channel, skipped) LFIELD(pipc_channel, retired_sent) LFIELD(pipc_channel, retired_sent_bytes)
    LFIELD(pipc_channel, retired_full) LFIELD(pipc_channel, retired_received)
    LFIELD(pipc_channel, retired_received_bytes) LFIELD(pipc_channel, retired_sleeps)
    LFIELD(pipc_channel, senders_ever) LFIELD(pipc_channel, receivers_ever)
    LFIELD(pipc_channel, senders_left) LFIELD(pipc_channel, receivers_left)
    LFIELD(pipc_channel, repair_lock) LFIELD(pipc_channel, endpoints)
    printf("layout.pipc_records_offset.16=%llu\n", (unsigned long long) pipc_records_offset(16));
    printf("layout.pipc_records_offset.3=%llu\n", (unsigned long long) pipc_records_offset(3));
    broadcast_layouts();
    rendezvous_layouts();
    unbounded_layouts();
}

/* pipc_message.h: the envelope, a mailbox's control segment, the endpoint registry */
static void message_layouts(void) {
    LCONSTANT(PIPC_ENVELOPE_MAGIC) LCONSTANT(PIPC_FORWARDED_MAGIC) LCONSTANT(PIPC_NO_REPLY)
    LAYOUT(pipc_envelope)
    LFIELD(pipc_envelope, magic) LFIELD(pipc_envelope, source_pid) LFIELD(pipc_envelope, send_time)
    LFIELD(pipc_envelope, reply_to)
    LAYOUT(pipc_queue_envelope)
    LFIELD(pipc_queue_envelope, envelope) LFIELD(pipc_queue_envelope, type) LFIELD(pipc_queue_envelope, source)
    LFIELD(pipc_queue_envelope, sequence)
    LCONSTANT(PIPC_KIND_MAILBOX) LCONSTANT(PIPC_KIND_REGISTRY)
    LCONSTANT(PIPC_TRANSPORT_RING) LCONSTANT(PIPC_TRANSPORT_QUEUE) LCONSTANT(PIPC_MAILBOX_PORT) LCONSTANT(PIPC_MAILBOX_BARE)
    LCONSTANT(PIPC_OWNER_NONE) LCONSTANT(PIPC_OWNER_OWNED) LCONSTANT(PIPC_OWNER_CLOSED) LCONSTANT(PIPC_OWNER_RECLAIMED)
    LAYOUT(pipc_mailbox)
    LFIELD(pipc_mailbox, transport) LFIELD(pipc_mailbox, flags) LFIELD(pipc_mailbox, capacity)
    LFIELD(pipc_mailbox, max_message_length) LFIELD(pipc_mailbox, owner_lock) LFIELD(pipc_mailbox, owner_state)
    LFIELD(pipc_mailbox, owner_pid) LFIELD(pipc_mailbox, owner_start_time)
    /* the kernel's robust futex word inside glibc's pthread_mutex_t: what senders load */
    printf("layout.pipc_mailbox.owner_word=%zu\n", offsetof(struct pipc_mailbox, owner_lock.__data.__lock));
    LCONSTANT(PIPC_REGISTRY_NAME_MAX) LCONSTANT(PIPC_ENTRY_FREE) LCONSTANT(PIPC_ENTRY_ACTIVE)
    LAYOUT(pipc_registry)
    LFIELD(pipc_registry, entries) LFIELD(pipc_registry, entry_size) LFIELD(pipc_registry, name_max)
    LFIELD(pipc_registry, lock)
    LAYOUT(pipc_registry_entry)
    LFIELD(pipc_registry_entry, sequence) LFIELD(pipc_registry_entry, state) LFIELD(pipc_registry_entry, owner_pid)
    LFIELD(pipc_registry_entry, name_length) LFIELD(pipc_registry_entry, owner_start_time)
    LFIELD(pipc_registry_entry, registered_ms) LFIELD(pipc_registry_entry, name)
}

/* CMSG_ALIGN, CMSG_SPACE and CMSG_LEN of a few data lengths, as "CMSG_SPACE(4)=24"; and where
 * CMSG_DATA points, from the header, as CMSG_DATA_OFFSET */
static void cmsg_macros(void) {
    static const size_t lengths[] = { 0, 1, 4, 8, 12, 13, 4 * 253 };
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t n = lengths[i];
        printf("CMSG_ALIGN(%zu)=%zu\n", n, (size_t) CMSG_ALIGN(n));
        printf("CMSG_SPACE(%zu)=%zu\n", n, (size_t) CMSG_SPACE(n));
        printf("CMSG_LEN(%zu)=%zu\n", n, (size_t) CMSG_LEN(n));
    }
    struct cmsghdr header;
    printf("CMSG_DATA_OFFSET=%td\n", (char *) CMSG_DATA(&header) - (char *) &header);
}

int main(void) {
    layouts();
    message_layouts();
    /* errno.h */
    CONSTANT(EPERM) CONSTANT(ENOENT) CONSTANT(ESRCH) CONSTANT(EINTR) CONSTANT(EIO)
    CONSTANT(EBADF) CONSTANT(EAGAIN) CONSTANT(EWOULDBLOCK) CONSTANT(ENOMEM) CONSTANT(EACCES)
    CONSTANT(EFAULT) CONSTANT(EBUSY) CONSTANT(EEXIST) CONSTANT(ENODEV) CONSTANT(ENOTDIR)
    CONSTANT(EISDIR) CONSTANT(EINVAL) CONSTANT(ENFILE) CONSTANT(EMFILE) CONSTANT(EFBIG)
    CONSTANT(ENOSPC) CONSTANT(ESPIPE) CONSTANT(EROFS) CONSTANT(ERANGE) CONSTANT(ENAMETOOLONG)
    CONSTANT(ENOSYS) CONSTANT(EOVERFLOW) CONSTANT(ENOTSUP) CONSTANT(EOPNOTSUPP)
    CONSTANT(EMSGSIZE) CONSTANT(ETIMEDOUT) CONSTANT(EOWNERDEAD) CONSTANT(ENOTRECOVERABLE)
    CONSTANT(EDEADLK)
    CONSTANT(ENXIO) CONSTANT(EPIPE) CONSTANT(ENOTSOCK) CONSTANT(EADDRINUSE) CONSTANT(ECONNRESET)
    CONSTANT(ENOTCONN) CONSTANT(ECONNREFUSED)

    /* fcntl.h */
    CONSTANT(O_RDONLY) CONSTANT(O_WRONLY) CONSTANT(O_RDWR) CONSTANT(O_CREAT) CONSTANT(O_EXCL)
    CONSTANT(O_TRUNC) CONSTANT(O_NONBLOCK) CONSTANT(O_CLOEXEC)
    CONSTANT(O_ACCMODE) CONSTANT(O_PATH) CONSTANT(O_NOFOLLOW) CONSTANT(F_GETFL) CONSTANT(F_SETFL) CONSTANT(F_DUPFD_CLOEXEC)
    CONSTANT(F_ADD_SEALS) CONSTANT(F_GET_SEALS) CONSTANT(F_SEAL_SEAL) CONSTANT(F_SEAL_SHRINK)
    CONSTANT(F_SEAL_GROW) CONSTANT(F_SEAL_WRITE) CONSTANT(F_SEAL_FUTURE_WRITE)

    /* sys/mman.h */
    CONSTANT(PROT_NONE) CONSTANT(PROT_READ) CONSTANT(PROT_WRITE)
    CONSTANT(MAP_SHARED) CONSTANT(MAP_PRIVATE) CONSTANT(MAP_POPULATE) CONSTANT(MAP_NORESERVE)
    printf("MAP_FAILED=%lld\n", (long long) (intptr_t) MAP_FAILED);
    CONSTANT(MS_ASYNC) CONSTANT(MS_SYNC) CONSTANT(MS_INVALIDATE)
    CONSTANT(MADV_NORMAL) CONSTANT(MADV_RANDOM) CONSTANT(MADV_SEQUENTIAL)
    CONSTANT(MADV_WILLNEED) CONSTANT(MADV_DONTNEED) CONSTANT(MADV_REMOVE)
    CONSTANT(MFD_CLOEXEC) CONSTANT(MFD_ALLOW_SEALING)

    /* sys/stat.h */
    CONSTANT(S_IRUSR) CONSTANT(S_IWUSR) CONSTANT(S_IRGRP) CONSTANT(S_IWGRP)
    CONSTANT(S_IROTH) CONSTANT(S_IWOTH) CONSTANT(S_IFMT) CONSTANT(S_IFREG)
    CONSTANT(S_IFIFO) CONSTANT(S_IFSOCK)
    STRUCT(stat)
    FIELD(stat, st_dev) FIELD(stat, st_ino) FIELD(stat, st_nlink) FIELD(stat, st_mode)
    FIELD(stat, st_uid) FIELD(stat, st_gid) FIELD(stat, st_size) FIELD(stat, st_blksize)
    FIELD(stat, st_blocks) FIELD(stat, st_mtim)

    /* unistd.h, sys/syscall.h */
    CONSTANT(_SC_PAGESIZE) CONSTANT(_SC_CLK_TCK) CONSTANT(_SC_NPROCESSORS_ONLN)
    CONSTANT(SYS_futex) CONSTANT(SYS_futex_waitv) CONSTANT(SYS_pidfd_open) CONSTANT(SYS_gettid) CONSTANT(SYS_tgkill)
    CONSTANT(SYS_membarrier) CONSTANT(MEMBARRIER_CMD_QUERY) CONSTANT(MEMBARRIER_CMD_GLOBAL)

    /* limits.h */
    CONSTANT(NAME_MAX) CONSTANT(MQ_PRIO_MAX)

    /* signal.h */
    CONSTANT(SIGKILL) CONSTANT(SIGTERM) CONSTANT(SIGUSR1) CONSTANT(SIGPIPE)
    CONSTANT(SIG_BLOCK) CONSTANT(SIG_SETMASK)
    CONSTANT(SIGEV_SIGNAL) CONSTANT(SIGEV_NONE) CONSTANT(SIGEV_THREAD) CONSTANT(SIGEV_THREAD_ID)
    CONSTANT(SIGRTMAX) /* a call to __libc_current_sigrtmax(), as the Java side makes it */
    UCONSTANT(SA_RESTART)
    printf("SIG_DFL=%lld\n", (long long) (intptr_t) SIG_DFL);
    printf("SIG_IGN=%lld\n", (long long) (intptr_t) SIG_IGN);
    STRUCT(sigaction)
    FIELD(sigaction, sa_handler) FIELD(sigaction, sa_mask) FIELD(sigaction, sa_flags)
    FIELD(sigaction, sa_restorer)
    STRUCT(sigevent)
    FIELD(sigevent, sigev_value) FIELD(sigevent, sigev_signo) FIELD(sigevent, sigev_notify)
    FIELD_AS(sigevent, "sigev_notify_function", _sigev_un._sigev_thread._function)
    FIELD_AS(sigevent, "sigev_notify_attributes", _sigev_un._sigev_thread._attribute)
    FIELD_AS(sigevent, "sigev_notify_thread_id", _sigev_un._tid)

    /* time.h */
    CONSTANT(CLOCK_REALTIME) CONSTANT(CLOCK_MONOTONIC)
    STRUCT(timespec)
    FIELD(timespec, tv_sec) FIELD(timespec, tv_nsec)

    /* poll.h */
    CONSTANT(POLLIN) CONSTANT(POLLPRI) CONSTANT(POLLOUT) CONSTANT(POLLERR) CONSTANT(POLLHUP)
    CONSTANT(POLLNVAL)
    STRUCT(pollfd)
    FIELD(pollfd, fd) FIELD(pollfd, events) FIELD(pollfd, revents)

    /* mqueue.h */
    STRUCT(mq_attr)
    FIELD(mq_attr, mq_flags) FIELD(mq_attr, mq_maxmsg) FIELD(mq_attr, mq_msgsize)
    FIELD(mq_attr, mq_curmsgs)

    /* sys/eventfd.h */
    CONSTANT(EFD_SEMAPHORE) CONSTANT(EFD_CLOEXEC) CONSTANT(EFD_NONBLOCK)

    /* sys/resource.h */
    CONSTANT(RLIMIT_NOFILE) CONSTANT(RLIMIT_MSGQUEUE)
    CONSTANT(RLIM_INFINITY) /* (rlim_t) -1 printed as long long: -1, as Java holds it */
    STRUCT(rlimit)
    FIELD(rlimit, rlim_cur) FIELD(rlimit, rlim_max)

    /* sys/socket.h, sys/un.h, sys/uio.h */
    CONSTANT(AF_UNIX) CONSTANT(SOCK_STREAM) CONSTANT(SOCK_SEQPACKET) CONSTANT(SOCK_NONBLOCK)
    CONSTANT(SOCK_CLOEXEC) CONSTANT(SOL_SOCKET) CONSTANT(SO_PEERCRED) CONSTANT(SCM_RIGHTS)
    CONSTANT(MSG_CTRUNC) CONSTANT(MSG_TRUNC) CONSTANT(MSG_DONTWAIT) CONSTANT(MSG_NOSIGNAL)
    CONSTANT(MSG_CMSG_CLOEXEC) CONSTANT(SHUT_RD) CONSTANT(SHUT_WR) CONSTANT(SHUT_RDWR)
    CONSTANT(SOMAXCONN)
    STRUCT(msghdr)
    FIELD(msghdr, msg_name) FIELD(msghdr, msg_namelen) FIELD(msghdr, msg_iov) FIELD(msghdr, msg_iovlen)
    FIELD(msghdr, msg_control) FIELD(msghdr, msg_controllen) FIELD(msghdr, msg_flags)
    STRUCT(cmsghdr)
    FIELD(cmsghdr, cmsg_len) FIELD(cmsghdr, cmsg_level) FIELD(cmsghdr, cmsg_type)
    STRUCT(iovec)
    FIELD(iovec, iov_base) FIELD(iovec, iov_len)
    STRUCT(sockaddr_un)
    FIELD(sockaddr_un, sun_family) FIELD(sockaddr_un, sun_path)
    STRUCT(ucred)
    FIELD(ucred, pid) FIELD(ucred, uid) FIELD(ucred, gid)
    /* the CMSG_* macros, for lengths of 0, 1, 2 and the most descriptors one message carries (253) */
    cmsg_macros();

    /* linux/futex.h */
    CONSTANT(FUTEX_WAIT) CONSTANT(FUTEX_WAKE) CONSTANT(FUTEX_WAIT_BITSET)
    CONSTANT(FUTEX_WAKE_BITSET) CONSTANT(FUTEX_PRIVATE_FLAG) CONSTANT(FUTEX_CLOCK_REALTIME)
    UCONSTANT(FUTEX_BITSET_MATCH_ANY) UCONSTANT(FUTEX_WAITERS) UCONSTANT(FUTEX_OWNER_DIED)
    UCONSTANT(FUTEX_TID_MASK) CONSTANT(FUTEX_32) CONSTANT(FUTEX_WAITV_MAX)
    STRUCT(futex_waitv)
    FIELD(futex_waitv, val) FIELD(futex_waitv, uaddr) FIELD(futex_waitv, flags) FIELD(futex_waitv, __reserved)

    /* pthread.h: robust process-shared mutexes */
    CONSTANT(PTHREAD_PROCESS_SHARED) CONSTANT(PTHREAD_MUTEX_ROBUST)

    /* scalar types */
    CTYPE("C_CHAR", char) CTYPE("C_SHORT", short) CTYPE("C_INT", int) CTYPE("C_LONG", long)
    CTYPE("C_LONG_LONG", long long) CTYPE("C_POINTER", void *)
    TYPE(size_t) TYPE(ssize_t) TYPE(off_t) TYPE(mode_t) TYPE(pid_t) TYPE(uid_t) TYPE(gid_t)
    TYPE(mqd_t) TYPE(nfds_t) TYPE(clockid_t) TYPE(time_t)
    TYPE(eventfd_t) TYPE(rlim_t) TYPE(socklen_t) TYPE(sa_family_t) TYPE(sigset_t)
    TYPE(pthread_mutex_t) TYPE(pthread_mutexattr_t)
    return 0;
}
