/*
 * pipc_segment_ops.h - creating and opening panama-ipc segments from C: the same rules as the
 * Java side (org.panamaipc.shm.IpcSegment, org.panamaipc.process.ProcessId), as static inline
 * functions, for the C peers and the C reference programs.
 *
 *  - a process is named by its pid and its start time (field 22 of /proc/<pid>/stat), so a reused
 *    pid is never mistaken for a process that died;
 *  - a creator writes the whole header and the body, then release-stores PIPC_READY into the ready
 *    word and wakes it;
 *  - an opener waits for the ready word with a deadline (giving up early if the creator died),
 *    then checks every header field before it uses anything, and says what it expected and found.
 *
 * Functions that can fail return a negative enum pipc_status and write a sentence into the
 * caller's message buffer; they never exit and never print.
 */
#ifndef PIPC_SEGMENT_OPS_H
#define PIPC_SEGMENT_OPS_H

#include "panama_ipc.h"
#include "pipc_segment.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* memory orderings, said in the name (the Java side's VarHandle getAcquire / setRelease / ...) */
#define pipc_load_relaxed(p)      __atomic_load_n((p), __ATOMIC_RELAXED)
#define pipc_load_acquire(p)      __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define pipc_load_seq_cst(p)      __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define pipc_store_relaxed(p, v)  __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define pipc_store_release(p, v)  __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define pipc_store_seq_cst(p, v)  __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define pipc_fetch_add(p, v)      __atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define pipc_full_fence()         __atomic_thread_fence(__ATOMIC_SEQ_CST)

static inline bool pipc_cas_u32(uint32_t *word, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n(word, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static inline bool pipc_cas_i64(int64_t *word, int64_t expected, int64_t desired) {
    return __atomic_compare_exchange_n(word, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

enum pipc_status {
    PIPC_OK = 0,
    PIPC_ERR_OS = -1,      /* a system call failed: errno says why */
    PIPC_ERR_INVALID = -2, /* the segment is not what the opener expects: refused, nothing used */
    PIPC_ERR_REFUSED = -3, /* the structure refuses the request (no free slot, SPSC already taken) */
    PIPC_ERR_CORRUPT = -4, /* a record in use holds an impossible value */
};

static inline int pipc_fail(int status, char *message, size_t size, const char *format, ...)
        __attribute__((format(printf, 4, 5)));

static inline int pipc_fail(int status, char *message, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(message, size, format, args);
    va_end(args);
    return status;
}

/* errno as the Java side reports it: its name and its text */
static inline const char *pipc_errno_name(int error) {
    const char *name = strerrorname_np(error);
    return name != NULL ? name : "unknown errno";
}

/* ---- time ---- */

static inline int64_t pipc_monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
}

static inline int64_t pipc_wall_clock_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* ---- futex: the shared form (no FUTEX_PRIVATE_FLAG), the word lives in several processes ---- */

static inline long pipc_futex_wake(uint32_t *word, int count) {
    return syscall(SYS_futex, word, FUTEX_WAKE, count, NULL, NULL, 0);
}

/* sleeps while *word == expected, at most nanos; returns at once if it differs */
static inline long pipc_futex_wait(uint32_t *word, uint32_t expected, int64_t nanos) {
    struct timespec relative = { .tv_sec = nanos / 1000000000, .tv_nsec = nanos % 1000000000 };
    return syscall(SYS_futex, word, FUTEX_WAIT, expected, &relative, NULL, 0);
}

/* ---- process identity ---- */

/*
 * Reads a /proc stat file (/proc/<pid>/stat, or a thread's /proc/<pid>/task/<tid>/stat): the state
 * (field 3) and the start time (field 22, clock ticks after boot). The command name (field 2) may
 * hold spaces and parentheses, so the fields are counted from the last ')'. Returns false with
 * errno ENOENT if there is no such process, or with another errno if the file cannot be read now
 * (out of descriptors, say) or does not parse (EINVAL).
 */
static inline bool pipc_read_stat_file(const char *path, char *state, uint64_t *start_time) {
    char text[1024];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    ssize_t length = read(fd, text, sizeof text - 1);
    int error = errno;
    close(fd);
    if (length < 0) {
        errno = error == ESRCH ? ENOENT : error; /* the process ended between open and read */
        return false;
    }
    text[length] = '\0';
    char *close_paren = strrchr(text, ')');
    if (close_paren == NULL || close_paren[1] != ' ') {
        errno = EINVAL;
        return false;
    }
    char *field = close_paren + 2; /* field 3 */
    *state = field[0];
    for (int number = 3; number < 22; number++) {
        field = strchr(field, ' ');
        if (field == NULL) {
            errno = EINVAL;
            return false;
        }
        field++;
    }
    *start_time = strtoull(field, NULL, 10);
    return true;
}

/* Reads /proc/<pid>/stat as pipc_read_stat_file does; the state is that of the first thread. */
static inline bool pipc_read_stat(pid_t pid, char *state, uint64_t *start_time) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    return pipc_read_stat_file(path, state, start_time);
}

/* the start time of pid in clock ticks after boot, or 0 if there is no such process */
static inline uint64_t pipc_process_start_time(pid_t pid) {
    char state;
    uint64_t start_time;
    return pipc_read_stat(pid, &state, &start_time) ? start_time : 0;
}

static inline bool pipc_thread_ended(char state) {
    return state == 'Z' || state == 'X';
}

/*
 * Whether a thread of pid has not ended. A process whose first thread called pthread_exit shows
 * that thread as a zombie in /proc/<pid>/stat while its other threads run on; once the whole
 * process has exited, only the zombie leader is left in /proc/<pid>/task. Says true when /proc
 * cannot be read now: no evidence of death.
 */
static inline bool pipc_any_thread_runs(pid_t pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int) pid);
    DIR *tasks = opendir(path);
    if (tasks == NULL) {
        return errno != ENOENT;
    }
    bool runs = false;
    struct dirent *entry;
    while (!runs && (entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        char thread_path[320];
        char state;
        uint64_t start;
        snprintf(thread_path, sizeof thread_path, "/proc/%d/task/%s/stat", (int) pid, entry->d_name);
        if (pipc_read_stat_file(thread_path, &state, &start)) {
            runs = !pipc_thread_ended(state);
        } else if (errno != ENOENT) {
            runs = true; /* unreadable: no evidence that it ended */
        }
    }
    closedir(tasks);
    return runs;
}

/*
 * Whether process pid, started at start_time, still runs (org.panamaipc.process.ProcessId.isAlive):
 * false once every thread has exited (an unreaped zombie counts as gone) and false if the pid now
 * belongs to another process; true while any thread runs, even after the first one ended, and true
 * when /proc cannot be read now (never declared dead without evidence). A start_time of 0 means
 * unknown: only the pid is checked.
 */
static inline bool pipc_process_alive(pid_t pid, uint64_t start_time) {
    if (pid <= 0) {
        return false;
    }
    if (kill(pid, 0) != 0 && errno == ESRCH) {
        return false;
    }
    char state;
    uint64_t started;
    if (!pipc_read_stat(pid, &state, &started)) {
        return errno != ENOENT && errno != EINVAL;
    }
    if (start_time != 0 && started != start_time) {
        return false;
    }
    return !pipc_thread_ended(state) || pipc_any_thread_runs(pid);
}

/* ---- mutex (struct pipc_mutex, org.panamaipc.sync.IpcMutex) ---- */

/*
 * Writes the owner record after winning the mutex word: who holds it, so waiters can tell a dead
 * owner from a live one. Only the holder writes it; owner_sequence is odd while it does (a
 * seqlock), so a reader never pairs one owner's pid with the next owner's start time.
 */
static inline void pipc_mutex_record_owner(struct pipc_mutex *mutex, pid_t pid, uint64_t start_time) {
    uint32_t writing = (pipc_load_relaxed(&mutex->owner_sequence) + 1) | 1;
    mutex->owner_died = 0;
    mutex->owner_thread = 0;
    pipc_store_relaxed(&mutex->owner_sequence, writing);
    __atomic_thread_fence(__ATOMIC_RELEASE); /* the odd number before the fields */
    pipc_store_relaxed(&mutex->owner_start_time, start_time);
    pipc_store_relaxed(&mutex->owner_pid, (int32_t) pid);
    pipc_store_release(&mutex->owner_sequence, writing + 1);
    mutex->acquisitions++;
}

/*
 * The start time the owner record holds for owner, or 0 (check the pid alone) if the record is
 * not owner's: still the previous owner's, or being written, or left half-written by an owner
 * that died (IpcMutex.recordedStartTime).
 */
static inline uint64_t pipc_mutex_recorded_start_time(const struct pipc_mutex *mutex, pid_t owner) {
    for (int attempt = 0; attempt < 4; attempt++) {
        uint32_t before = pipc_load_acquire(&mutex->owner_sequence);
        int32_t pid = pipc_load_relaxed(&mutex->owner_pid);
        uint64_t start = pipc_load_relaxed(&mutex->owner_start_time);
        __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the fields before the second look */
        uint32_t after = pipc_load_relaxed(&mutex->owner_sequence);
        if ((before & 1) == 0 && before == after) {
            return pid == (int32_t) owner ? start : 0;
        }
    }
    return 0;
}

/* ---- segments ---- */

/* a mapped segment: the whole object, header first */
struct pipc_mapping {
    struct pipc_segment_header *header;
    size_t size;
};

static inline void *pipc_body(const struct pipc_mapping *mapping) {
    return (uint8_t *) mapping->header + mapping->header->header_size;
}

/*
 * Sizes a new object to size bytes and reserves them in /dev/shm now (fallocate), as the Java side
 * does, so that a full /dev/shm fails here rather than with SIGBUS at the first touch of a page.
 * A file system that cannot reserve (EOPNOTSUPP) is only sized. Returns 0, or -1 with errno.
 */
static inline int pipc_reserve(int fd, uint64_t size) {
    int rc;
    do {
        rc = fallocate(fd, 0, 0, (off_t) size);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0 && errno == EOPNOTSUPP) {
        rc = ftruncate(fd, (off_t) size);
    }
    return rc;
}

/*
 * Creates the object `name` (O_EXCL: never an existing one) holding `body_size` bytes of `kind`,
 * reserves and maps it and writes the header. The body is zero-filled; the caller initialises it
 * and then calls pipc_segment_publish(). On failure nothing is left behind.
 */
static inline int pipc_segment_create(const char *name, uint32_t kind, uint32_t layout_version,
                                      uint64_t body_size, mode_t mode, struct pipc_mapping *out,
                                      char *message, size_t message_size) {
    uint64_t total = sizeof(struct pipc_segment_header) + body_size;
    out->header = NULL;
    out->size = 0;
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        int error = errno;
        return pipc_fail(PIPC_ERR_OS, message, message_size, "Unable to create shared memory %s: %s (%s)",
                         name, strerror(error), pipc_errno_name(error));
    }
    void *base = MAP_FAILED;
    const char *step = "fchmod";
    if (fchmod(fd, mode) == 0) { /* the umask must not narrow what the caller asked for */
        step = "fallocate";
        if (pipc_reserve(fd, total) == 0) {
            step = "mmap";
            base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        }
    }
    int error = errno;
    close(fd);
    if (base == MAP_FAILED) {
        shm_unlink(name);
        return pipc_fail(PIPC_ERR_OS, message, message_size, "Unable to create shared memory %s: %s failed: %s (%s)",
                         name, step, strerror(error), pipc_errno_name(error));
    }
    struct pipc_segment_header *header = base;
    pid_t me = getpid();
    header->kind = kind;
    header->layout_version = layout_version;
    header->total_size = total;
    header->header_size = sizeof(struct pipc_segment_header);
    header->body_size = body_size;
    header->flags = 0;
    header->creator_pid = me;
    header->creator_start_time = pipc_process_start_time(me);
    header->creation_time_ms = pipc_wall_clock_ms();
    header->magic = PIPC_MAGIC;
    out->header = header;
    out->size = total;
    return PIPC_OK;
}

/* Marks a created segment ready: everything written before is visible to whoever sees PIPC_READY. */
static inline void pipc_segment_publish(struct pipc_mapping *mapping) {
    pipc_store_release(&mapping->header->ready, PIPC_READY);
    pipc_futex_wake(&mapping->header->ready, INT32_MAX);
}

static inline void pipc_segment_unmap(struct pipc_mapping *mapping) {
    if (mapping->header != NULL) {
        munmap(mapping->header, mapping->size);
        mapping->header = NULL;
    }
}

static inline int pipc_invalid(struct pipc_mapping *mapping, char *message, size_t size, const char *name,
                               const char *format, ...) __attribute__((format(printf, 5, 6)));

/* unmaps and reports "Unable to open shared memory NAME since ..." as the Java side words it */
static inline int pipc_invalid(struct pipc_mapping *mapping, char *message, size_t size, const char *name,
                               const char *format, ...) {
    pipc_segment_unmap(mapping);
    int used = snprintf(message, size, "Unable to open shared memory %s since ", name);
    if (used >= 0 && (size_t) used < size) {
        va_list args;
        va_start(args, format);
        vsnprintf(message + used, size - (size_t) used, format, args);
        va_end(args);
    }
    return PIPC_ERR_INVALID;
}

/*
 * Waits, at most ready_timeout_ns, for the creator to mark the segment ready; gives up at once if
 * the ready word holds anything else than 0 or PIPC_READY, the magic is wrong, or the creator died.
 */
static inline int pipc_segment_await_ready(struct pipc_mapping *mapping, const char *name, int64_t ready_timeout_ns,
                                           char *message, size_t size) {
    struct pipc_segment_header *header = mapping->header;
    int64_t deadline = pipc_monotonic_ns() + ready_timeout_ns;
    while (true) {
        uint32_t ready = pipc_load_acquire(&header->ready);
        if (ready == PIPC_READY) {
            return PIPC_OK;
        }
        if (ready != 0) {
            return pipc_invalid(mapping, message, size, name, "its ready word holds 0x%x, expected 0 or 0x%x (CORRUPT)",
                                ready, PIPC_READY);
        }
        uint64_t magic = pipc_load_relaxed(&header->magic);
        if (magic != 0 && magic != PIPC_MAGIC) {
            return pipc_invalid(mapping, message, size, name,
                                "its magic is 0x%llx, expected 0x%llx (\"PNMA_IPC\"): it is not a panama-ipc segment (BAD_MAGIC)",
                                (unsigned long long) magic, (unsigned long long) PIPC_MAGIC);
        }
        int32_t creator = pipc_load_relaxed(&header->creator_pid);
        uint64_t creator_start = pipc_load_relaxed(&header->creator_start_time);
        if (creator != 0 && !pipc_process_alive(creator, creator_start)) {
            return pipc_invalid(mapping, message, size, name, "its creator, pid %d, died before marking it ready (NOT_READY)",
                                creator);
        }
        int64_t remaining = deadline - pipc_monotonic_ns();
        if (remaining <= 0) {
            return pipc_invalid(mapping, message, size, name, "it was not marked ready within %lld ms%s (NOT_READY)",
                                (long long) (ready_timeout_ns / 1000000),
                                magic == 0 ? " (its magic is still 0: not created by panama-ipc, or its creator is stuck)" : "");
        }
        pipc_futex_wait(&header->ready, 0, remaining < 20000000 ? remaining : 20000000);
    }
}

/* Checks every field of a ready segment's header, as IpcSegment.validate does. */
static inline int pipc_segment_validate(struct pipc_mapping *mapping, const char *name, uint32_t kind,
                                        uint32_t layout_version, uint64_t min_body_size, char *message, size_t size) {
    const struct pipc_segment_header *header = mapping->header;
    uint64_t hsize = sizeof(struct pipc_segment_header);
    if (header->magic != PIPC_MAGIC) {
        return pipc_invalid(mapping, message, size, name,
                            "its magic is 0x%llx, expected 0x%llx (\"PNMA_IPC\"): it is not a panama-ipc segment (BAD_MAGIC)",
                            (unsigned long long) header->magic, (unsigned long long) PIPC_MAGIC);
    }
    if (header->kind != kind) {
        return pipc_invalid(mapping, message, size, name, "it holds kind %u, expected kind %u (WRONG_KIND)",
                            header->kind, kind);
    }
    if (header->layout_version != layout_version) {
        return pipc_invalid(mapping, message, size, name,
                            "its layout version is %u, this program reads version %u (WRONG_VERSION)",
                            header->layout_version, layout_version);
    }
    if (header->header_size != hsize) {
        return pipc_invalid(mapping, message, size, name, "its header size field is %llu, expected %llu (CORRUPT)",
                            (unsigned long long) header->header_size, (unsigned long long) hsize);
    }
    if (header->total_size != mapping->size) {
        return pipc_invalid(mapping, message, size, name, "its header says %llu bytes but the object has %zu (%s)",
                            (unsigned long long) header->total_size, mapping->size,
                            header->total_size > mapping->size ? "TRUNCATED" : "CORRUPT");
    }
    if (header->body_size != header->total_size - hsize) {
        return pipc_invalid(mapping, message, size, name,
                            "its body size field is %llu, expected total - header = %llu (CORRUPT)",
                            (unsigned long long) header->body_size, (unsigned long long) (header->total_size - hsize));
    }
    if (header->body_size < min_body_size) {
        return pipc_invalid(mapping, message, size, name, "its body is %llu bytes, kind %u needs at least %llu (TRUNCATED)",
                            (unsigned long long) header->body_size, kind, (unsigned long long) min_body_size);
    }
    if (header->flags != 0) {
        return pipc_invalid(mapping, message, size, name, "its flags 0x%x hold bits this version does not know (CORRUPT)",
                            header->flags);
    }
    return PIPC_OK;
}

/*
 * Opens the existing object `name`, which must be a ready segment of `kind` at `layout_version`
 * with a body of at least min_body_size bytes.
 */
static inline int pipc_segment_open(const char *name, uint32_t kind, uint32_t layout_version, uint64_t min_body_size,
                                    int64_t ready_timeout_ns, struct pipc_mapping *out, char *message, size_t size) {
    out->header = NULL;
    out->size = 0;
    int fd = shm_open(name, O_RDWR | O_CLOEXEC, 0);
    if (fd < 0) {
        int error = errno;
        return pipc_fail(PIPC_ERR_OS, message, size, "Unable to open shared memory %s: %s (%s)",
                         name, strerror(error), pipc_errno_name(error));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int error = errno;
        close(fd);
        return pipc_fail(PIPC_ERR_OS, message, size, "Unable to open shared memory %s: fstat failed: %s (%s)",
                         name, strerror(error), pipc_errno_name(error));
    }
    if ((uint64_t) st.st_size < sizeof(struct pipc_segment_header)) {
        close(fd);
        return pipc_invalid(out, message, size, name, "its size %lld is smaller than the %zu-byte header (%s)",
                            (long long) st.st_size, sizeof(struct pipc_segment_header),
                            st.st_size == 0 ? "EMPTY" : "TRUNCATED");
    }
    void *base = mmap(NULL, (size_t) st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int error = errno;
    close(fd);
    if (base == MAP_FAILED) {
        return pipc_fail(PIPC_ERR_OS, message, size, "Unable to open shared memory %s: mmap failed: %s (%s)",
                         name, strerror(error), pipc_errno_name(error));
    }
    out->header = base;
    out->size = (size_t) st.st_size;
    int status = pipc_segment_await_ready(out, name, ready_timeout_ns, message, size);
    if (status == PIPC_OK) {
        status = pipc_segment_validate(out, name, kind, layout_version, min_body_size, message, size);
    }
    return status;
}

#endif /* PIPC_SEGMENT_OPS_H */
