/*
 * ring_peer - a C endpoint of panama-ipc ring channels, for the tests that hold the C and the
 * Java side of the protocol to each other (java-api: org.panamaipc.channel.ChannelCPeerTest). It
 * creates channels, sends into them and receives from them through pipc_ring_ops.h, the same
 * layout and algorithm as the Java endpoints.
 *
 * Usage:
 *   ring_peer [-t SECONDS] STEP [+ STEP ...]          steps run in order, in one process
 *
 *   create NAME TYPE CAPACITY MAXLEN [SLOTS]   create a channel (TYPE spsc, mpsc or mpmc; SLOTS 16);
 *                                              the segment stays until someone unlinks it
 *   send NAME COUNT [SEED] [OPTIONS]           attach as a sender and send COUNT pattern messages
 *       --blocking          sleep on the channel's futex when full (else spin with sched_yield)
 *       --abort-every K     before every K-th message, claim space and abort it (a SKIP record)
 *       --batch K           send K messages at a time (pipc_sender_try_send_batch), 1..64; not
 *                           with --abort-every or --abandon
 *       --abandon           after COUNT messages, claim one more, write half of it and exit at
 *                           once without committing or detaching: a sender that died mid-write
 *       --abandon-batch K   after COUNT messages, claim room for the next K (2..64) with one
 *                           span (pipc_claim_span), write the first K/2 of them, half of the
 *                           next, and exit at once: a sender that died in the middle of a batch
 *   recv NAME COUNT [SEED] [OPTIONS]           attach as a receiver and receive COUNT messages,
 *                                              checking each against the pattern; COUNT 0: until
 *                                              every sender has gone and the channel is empty
 *       --blocking          sleep on the channel's futex when empty (else spin with sched_yield)
 *       --gaps              sequence numbers may skip (other receivers take some: MPMC)
 *       --any-type          do not check the message type (a Java batch has one type for all)
 *   check NAME                                 open and validate the channel, print its configuration
 *
 * The pattern (java-api's test class PeerPattern computes the same): message number seq (the
 * sender's sequence number, from 1) with seed S has
 *   length = ((seq * 0x9E3779B97F4A7C15 + S) >> 40) mod (min(1000, max message length) + 1)
 *   type   = (seq + S) mod 1000 + 1
 *   byte i = (seq * 31 + S + i) mod 256
 * in 64-bit unsigned arithmetic. A receiver checks every byte, the length, the type, and that the
 * sequence numbers of each source (endpoint id) follow each other (a 1 starts a new sender in
 * that slot).
 *
 * Output, one line each, flushed at once: "created ...", "attached sender endpoint N ...",
 * "attached receiver endpoint N ...", "sent N ...", "received N messages, sequence sum S, ...",
 * "abandoned ...", "channel ..." (check); errors go to stderr as "ring_peer: ...".
 *
 * Exit codes:
 *   0  done
 *   1  usage: a bad command line or an option out of range
 *   2  a system call failed (the name does not exist, exists already, ...): errno's name shown
 *   3  the segment is not a valid channel (magic, kind, version, sizes, configuration): refused
 *   4  the channel refused the endpoint (SPSC already has a sender, all slots taken, ...)
 *   5  a received message differs from the pattern
 *   6  the deadline passed (-t, 60 s by default); a watchdog alarm ends the process 5 s later
 *      whatever it is doing
 *   7  the peer has gone: every receiver while the channel is full, every sender before COUNT
 *      messages arrived (of the endpoints this one saw alive or that attached after it: see
 *      other_side_gone), or the parent process (the test) exited; waits check these every 10 ms
 *   8  a record in the channel cannot be right (impossible length or state)
 */
#include "pipc_ring_ops.h"

#include <sched.h>

enum exit_code {
    EXIT_DONE = 0,
    EXIT_USAGE = 1,
    EXIT_OS_ERROR = 2,
    EXIT_INVALID_SEGMENT = 3,
    EXIT_REFUSED = 4,
    EXIT_MISMATCH = 5,
    EXIT_DEADLINE = 6,
    EXIT_PEER_GONE = 7,
    EXIT_CORRUPT = 8,
};

#define MAX_STEPS 8
#define CHECK_INTERVAL_NS INT64_C(10000000)    /* liveness, deadline and parent checks while waiting */
#define SPIN_BEFORE_SLEEP_NS INT64_C(50000)    /* --blocking: spin this long before sleeping */
#define SENDER_SLEEP_NS INT64_C(10000000)
#define RECEIVER_SLEEP_NS INT64_C(100000000)
#define WATCHDOG_GRACE_S 5
#define READY_TIMEOUT_NS INT64_C(5000000000)
#define POLL_LIMIT 64

static const char USAGE[] =
        "usage: ring_peer [-t SECONDS] STEP [+ STEP ...]\n"
        "  create NAME TYPE CAPACITY MAXLEN [SLOTS]\n"
        "  send NAME COUNT [SEED] [--blocking] [--abort-every K] [--abandon] [--batch K]\n"
        "  recv NAME COUNT [SEED] [--blocking] [--gaps] [--any-type]\n"
        "  check NAME\n";

/* ---- what is running, for the exits ---- */

static int64_t deadline_ns;
static int deadline_s = 60;
static pid_t parent_pid;
static struct pipc_sender *active_sender;
static struct pipc_receiver *active_receiver;

static void say(const char *format, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void die(int code, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void say(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    putchar('\n');
    fflush(stdout); /* the test reads the output file while we run */
}

/* Detaches whatever endpoint is attached, reports, exits. */
static _Noreturn void die(int code, const char *format, ...) {
    if (active_sender != NULL) {
        pipc_sender_close(active_sender);
    }
    if (active_receiver != NULL) {
        pipc_receiver_close(active_receiver);
    }
    fflush(stdout);
    va_list args;
    va_start(args, format);
    fputs("ring_peer: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(code);
}

static void on_alarm(int signal) {
    (void) signal;
    static const char message[] = "ring_peer: watchdog: still running after the deadline; exiting\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void) ignored;
    _exit(EXIT_DEADLINE);
}

static void start_watchdog(void) {
    parent_pid = getppid();
    deadline_ns = pipc_monotonic_ns() + (int64_t) deadline_s * 1000000000;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    alarm((unsigned) deadline_s + WATCHDOG_GRACE_S);
}

/* the periodic checks of every wait: our deadline, and the test that started us */
static void check_deadline_and_parent(const char *waiting_for) {
    if (pipc_monotonic_ns() - deadline_ns >= 0) {
        die(EXIT_DEADLINE, "deadline of %d s passed while waiting for %s", deadline_s, waiting_for);
    }
    if (getppid() != parent_pid) {
        die(EXIT_PEER_GONE, "the parent process %d has exited", (int) parent_pid);
    }
}

/*
 * Whether the other side of a wait has gone. The channel's own rule (the Java endpoints',
 * pipc_endpoints_all_gone) is "endpoints of that role attached once and none is alive now"; on a
 * channel whose endpoints come and go, that is also true in the gap between one endpoint and the
 * next. The peer says "gone" only of endpoints it has known: one it saw alive at a check, or one
 * that attached after it did. Call it at every check, so it sees who is alive.
 */
struct other_side {
    uint32_t role;
    int32_t ever_at_attach;
    bool seen_alive;
};

static int32_t *endpoints_ever(const struct pipc_ring *ring, uint32_t role) {
    return role == PIPC_ROLE_SENDER ? &ring->channel->senders_ever : &ring->channel->receivers_ever;
}

static void other_side_init(struct other_side *other, const struct pipc_ring *ring, uint32_t role) {
    other->role = role;
    other->ever_at_attach = pipc_load_seq_cst(endpoints_ever(ring, role));
    other->seen_alive = false;
}

static bool other_side_gone(struct other_side *other, const struct pipc_ring *ring) {
    if (pipc_endpoints_live(ring, other->role) > 0) {
        other->seen_alive = true;
        return false;
    }
    return other->seen_alive || pipc_load_seq_cst(endpoints_ever(ring, other->role)) > other->ever_at_attach;
}

/* ---- the pattern ---- */

static int32_t pattern_limit(int32_t max_message_length) {
    return max_message_length < 1000 ? max_message_length : 1000;
}

static int32_t pattern_length(int64_t sequence, int64_t seed, int32_t limit) {
    uint64_t mixed = (uint64_t) sequence * UINT64_C(0x9E3779B97F4A7C15) + (uint64_t) seed;
    return (int32_t) ((mixed >> 40) % (uint64_t) (limit + 1));
}

static int32_t pattern_type(int64_t sequence, int64_t seed) {
    return (int32_t) ((sequence + seed) % 1000) + 1;
}

static uint8_t pattern_byte(int64_t sequence, int64_t seed, int32_t i) {
    return (uint8_t) ((uint64_t) sequence * 31 + (uint64_t) seed + (uint64_t) i);
}

/* ---- the command line ---- */

#define BATCH_MAX 64

struct step {
    const char *command;
    const char *name;
    int32_t type;
    int64_t capacity;
    int32_t max_length;
    int32_t slots;
    int64_t count;
    int64_t seed;
    int64_t abort_every;
    int32_t batch;
    bool blocking;
    bool abandon;
    int32_t abandon_batch;
    bool gaps;
    bool any_type;
};

static _Noreturn void usage(const char *format, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void usage(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fputs("ring_peer: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    fputs(USAGE, stderr);
    exit(EXIT_USAGE);
}

static int64_t parse_number(const char *what, const char *text, int64_t min, int64_t max) {
    char *end;
    errno = 0;
    long long value = strtoll(text, &end, 0);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        usage("%s=%s must be a number from %lld to %lld", what, text, (long long) min, (long long) max);
    }
    return value;
}

static int32_t parse_type(const char *text) {
    if (strcasecmp(text, "spsc") == 0) {
        return PIPC_CHANNEL_SPSC;
    }
    if (strcasecmp(text, "mpsc") == 0) {
        return PIPC_CHANNEL_MPSC;
    }
    if (strcasecmp(text, "mpmc") == 0) {
        return PIPC_CHANNEL_MPMC;
    }
    return (int32_t) parse_number("TYPE", text, PIPC_CHANNEL_SPSC, PIPC_CHANNEL_MPMC);
}

/* parses argv[from, to) as one step */
static void parse_step(struct step *step, char **argv, int from, int to) {
    memset(step, 0, sizeof *step);
    int count = to - from;
    if (count < 2) {
        usage("a step needs a command and a channel name");
    }
    char **arg = argv + from;
    step->command = arg[0];
    step->name = arg[1];
    if (strcmp(step->command, "create") == 0) {
        if (count < 5 || count > 6) {
            usage("create takes NAME TYPE CAPACITY MAXLEN [SLOTS]");
        }
        step->type = parse_type(arg[2]);
        step->capacity = parse_number("CAPACITY", arg[3], 1, INT64_MAX);
        step->max_length = (int32_t) parse_number("MAXLEN", arg[4], 0, INT32_MAX);
        step->slots = count == 6 ? (int32_t) parse_number("SLOTS", arg[5], 0, INT32_MAX) : 16;
        char message[256];
        if (pipc_channel_check_options(step->type, step->capacity, step->max_length, step->slots,
                                       message, sizeof message) != PIPC_OK) {
            usage("%s", message);
        }
        return;
    }
    if (strcmp(step->command, "check") == 0) {
        if (count != 2) {
            usage("check takes NAME");
        }
        return;
    }
    bool send = strcmp(step->command, "send") == 0;
    if (!send && strcmp(step->command, "recv") != 0) {
        usage("unknown command %s", step->command);
    }
    if (count < 3) {
        usage("%s takes NAME COUNT [SEED] [OPTIONS]", step->command);
    }
    step->count = parse_number("COUNT", arg[2], send ? 1 : 0, INT64_MAX / 2);
    int next = 3;
    if (next < count && strncmp(arg[next], "--", 2) != 0) {
        step->seed = parse_number("SEED", arg[next], 0, INT32_MAX);
        next++;
    }
    for (; next < count; next++) {
        if (strcmp(arg[next], "--blocking") == 0) {
            step->blocking = true;
        } else if (send && strcmp(arg[next], "--abandon") == 0) {
            step->abandon = true;
        } else if (send && strcmp(arg[next], "--abort-every") == 0 && next + 1 < count) {
            step->abort_every = parse_number("K", arg[++next], 1, INT64_MAX);
        } else if (send && strcmp(arg[next], "--abandon-batch") == 0 && next + 1 < count) {
            step->abandon_batch = (int32_t) parse_number("K", arg[++next], 2, BATCH_MAX);
        } else if (send && strcmp(arg[next], "--batch") == 0 && next + 1 < count) {
            step->batch = (int32_t) parse_number("K", arg[++next], 1, BATCH_MAX);
        } else if (!send && strcmp(arg[next], "--gaps") == 0) {
            step->gaps = true;
        } else if (!send && strcmp(arg[next], "--any-type") == 0) {
            step->any_type = true;
        } else {
            usage("unknown option %s for %s", arg[next], step->command);
        }
    }
    if (step->batch > 0 && (step->abort_every > 0 || step->abandon)) {
        usage("--batch goes with neither --abort-every nor --abandon");
    }
}

/* ---- opening ---- */

struct channel {
    struct pipc_mapping mapping;
    struct pipc_ring ring;
};

static void open_channel(struct channel *channel, const char *name) {
    char message[512];
    int status = pipc_segment_open(name, PIPC_KIND_CHANNEL, PIPC_CHANNEL_LAYOUT_VERSION,
                                   sizeof(struct pipc_channel), READY_TIMEOUT_NS, &channel->mapping,
                                   message, sizeof message);
    if (status != PIPC_OK) {
        die(status == PIPC_ERR_OS ? EXIT_OS_ERROR : EXIT_INVALID_SEGMENT, "%s", message);
    }
    status = pipc_ring_attach(&channel->ring, pipc_body(&channel->mapping), channel->mapping.header->body_size,
                              message, sizeof message);
    if (status != PIPC_OK) {
        pipc_segment_unmap(&channel->mapping);
        die(EXIT_INVALID_SEGMENT, "Unable to open shared memory %s since %s (CORRUPT)", name, message);
    }
}

/* ---- create ---- */

static void run_create(const struct step *step) {
    char message[512];
    struct pipc_mapping mapping = { 0 };
    uint64_t body_size = pipc_channel_body_size(step->slots, step->capacity);
    if (pipc_segment_create(step->name, PIPC_KIND_CHANNEL, PIPC_CHANNEL_LAYOUT_VERSION, body_size, 0600,
                            &mapping, message, sizeof message) != PIPC_OK) {
        die(EXIT_OS_ERROR, "%s", message);
    }
    pipc_channel_init(pipc_body(&mapping), step->type, step->capacity, step->max_length, step->slots);
    pipc_segment_publish(&mapping);
    pipc_segment_unmap(&mapping);
    say("created %s channel %s: capacity %lld, max message length %d, %d endpoint slots",
        pipc_channel_type_name(step->type), step->name, (long long) step->capacity, step->max_length, step->slots);
}

static void run_check(const struct step *step) {
    struct channel channel;
    open_channel(&channel, step->name);
    const struct pipc_ring *ring = &channel.ring;
    say("channel %s: %s, capacity %lld, max message length %d, %d endpoint slots, tail %lld, head %lld",
        step->name, pipc_channel_type_name(ring->type), (long long) ring->capacity, ring->max_message_length,
        ring->slots, (long long) pipc_load_seq_cst(&ring->channel->tail),
        (long long) pipc_load_seq_cst(&ring->channel->head));
    pipc_segment_unmap(&channel.mapping);
}

/* ---- send ---- */

/* Claims room for a message, waiting while the channel is full. */
static uint8_t *claim_waiting(struct pipc_sender *sender, struct other_side *receivers, int32_t type, int32_t length,
                              bool blocking) {
    uint8_t *payload = pipc_sender_try_claim(sender, type, length);
    if (payload != NULL) {
        return payload;
    }
    pipc_sender_count_full(sender);
    struct pipc_channel *channel = sender->ring->channel;
    int64_t started = pipc_monotonic_ns();
    int64_t last_check = started;
    while (true) {
        int64_t now = pipc_monotonic_ns();
        if (now - last_check >= CHECK_INTERVAL_NS) {
            last_check = now;
            check_deadline_and_parent("room in the channel");
            if (other_side_gone(receivers, sender->ring)) {
                die(EXIT_PEER_GONE, "the channel is full and every receiver that attached has gone");
            }
        }
        if (blocking && now - started >= SPIN_BEFORE_SLEEP_NS) {
            pipc_sleep_on(&channel->space_signal, &channel->senders_waiting, &sender->slot->sleeping, pipc_sender_ready,
                          sender, SENDER_SLEEP_NS);
        } else {
            sched_yield();
        }
        payload = pipc_sender_try_claim(sender, type, length);
        if (payload != NULL) {
            return payload;
        }
    }
}

/* Sends step->count pattern messages step->batch at a time, waiting while the channel is full. */
static void send_batches(const struct step *step, struct pipc_sender *sender, struct other_side *receivers,
                         int32_t limit) {
    static uint8_t payloads[BATCH_MAX][1000];
    const uint8_t *messages[BATCH_MAX];
    int32_t lengths[BATCH_MAX];
    int32_t types[BATCH_MAX];
    int64_t sent = 0;
    while (sent < step->count) {
        int count = step->count - sent < step->batch ? (int) (step->count - sent) : step->batch;
        for (int k = 0; k < count; k++) {
            int64_t sequence = sender->sequence + k;
            lengths[k] = pattern_length(sequence, step->seed, limit);
            types[k] = pattern_type(sequence, step->seed);
            for (int32_t i = 0; i < lengths[k]; i++) {
                payloads[k][i] = pattern_byte(sequence, step->seed, i);
            }
            messages[k] = payloads[k];
        }
        int went = pipc_sender_try_send_batch(sender, types, false, messages, lengths, count);
        if (went == 0) {
            /* wait as a claim does, for room for the first, then send what fits */
            uint8_t *payload = claim_waiting(sender, receivers, types[0], lengths[0], step->blocking);
            memcpy(payload, messages[0], (size_t) lengths[0]);
            pipc_sender_commit(sender);
            went = 1;
        }
        sent += went;
    }
}

/*
 * Claims room for the next step->abandon_batch pattern messages with one span, writes the first
 * half of them and half of the next, and exits as if killed: the Java repair must deliver the
 * records written and pass over the rest of the span, and nothing else.
 */
static _Noreturn void abandon_batch(const struct step *step, struct pipc_sender *sender, int32_t limit) {
    int32_t lengths[BATCH_MAX];
    for (int k = 0; k < step->abandon_batch; k++) {
        lengths[k] = pattern_length(sender->sequence + k, step->seed, limit);
    }
    int records;
    int64_t end;
    int64_t start = pipc_claim_span(sender, lengths, step->abandon_batch, &records, &end);
    if (start < 0 || records < 2) {
        die(EXIT_REFUSED, "no room for a span of %d messages (%d fit)", step->abandon_batch, start < 0 ? 0 : records);
    }
    int64_t position = start;
    static uint8_t payload[1000];
    int written = records / 2;
    int64_t first_written = sender->sequence;
    for (int k = 0; k < written; k++) {
        int64_t sequence = sender->sequence;
        for (int32_t i = 0; i < lengths[k]; i++) {
            payload[i] = pattern_byte(sequence, step->seed, i);
        }
        position = pipc_sender_write_record(sender, position, pattern_type(sequence, step->seed), payload, lengths[k]);
    }
    struct pipc_record_header *next = pipc_record_at(sender->ring, position);
    next->length = lengths[written];
    memset(next + 1, 0xAB, (size_t) lengths[written] / 2);
    say("abandoned a span of %d records at position %lld after writing %d (messages %lld to %lld), %lld messages before",
        records, (long long) start, written, (long long) first_written, (long long) (first_written + written - 1),
        (long long) step->count);
    _exit(EXIT_DONE); /* as if killed: no commit, no detach */
}

static void run_send(const struct step *step) {
    struct channel channel;
    open_channel(&channel, step->name);
    const struct pipc_ring *ring = &channel.ring;
    struct pipc_sender sender;
    char message[512];
    int status = pipc_sender_open(&sender, ring, step->blocking, message, sizeof message);
    if (status != PIPC_OK) {
        die(status == PIPC_ERR_CORRUPT ? EXIT_CORRUPT : status == PIPC_ERR_OS ? EXIT_OS_ERROR : EXIT_REFUSED,
            "cannot attach a sender to %s: %s", step->name, message);
    }
    active_sender = &sender;
    struct other_side receivers;
    other_side_init(&receivers, ring, PIPC_ROLE_RECEIVER);
    say("attached sender endpoint %d of %s channel %s", sender.id, pipc_channel_type_name(ring->type), step->name);
    int32_t limit = pattern_limit(ring->max_message_length);
    int64_t aborted = 0;
    if (step->batch > 0) {
        send_batches(step, &sender, &receivers, limit);
    }
    for (int64_t n = 1; step->batch == 0 && n <= step->count; n++) {
        if (step->abort_every > 0 && n % step->abort_every == 0) {
            int32_t length = pattern_length(n, step->seed + 1, limit);
            uint8_t *junk = claim_waiting(&sender, &receivers, -1, length, step->blocking);
            memset(junk, 0xEE, (size_t) length);
            pipc_sender_abort(&sender);
            aborted++;
        }
        int64_t sequence = sender.sequence;
        int32_t length = pattern_length(sequence, step->seed, limit);
        uint8_t *payload = claim_waiting(&sender, &receivers, pattern_type(sequence, step->seed), length, step->blocking);
        for (int32_t i = 0; i < length; i++) {
            payload[i] = pattern_byte(sequence, step->seed, i);
        }
        pipc_sender_commit(&sender);
    }
    if (step->abandon) {
        int64_t sequence = sender.sequence;
        int32_t length = limit;
        uint8_t *payload = claim_waiting(&sender, &receivers, pattern_type(sequence, step->seed), length, step->blocking);
        memset(payload, 0xAB, (size_t) length / 2);
        say("abandoned a claim of %d bytes at position %lld after %lld messages", length,
            (long long) sender.claim_position, (long long) step->count);
        _exit(EXIT_DONE); /* as if killed: no commit, no detach */
    }
    if (step->abandon_batch > 0) {
        abandon_batch(step, &sender, limit);
    }
    int64_t full = sender.full;
    active_sender = NULL;
    pipc_sender_close(&sender);
    pipc_segment_unmap(&channel.mapping);
    say("sent %lld messages (%lld aborted claims, found the channel full %lld times)",
        (long long) step->count, (long long) aborted, (long long) full);
}

/* ---- recv ---- */

struct verifier {
    int64_t seed;
    int32_t limit;
    int32_t slots;
    bool gaps;
    bool any_type;
    bool failed;
    int64_t received;
    int64_t sequence_sum;
    int64_t *last_sequence; /* per source endpoint */
    char failure[256];
};

static void verify(void *context, const struct pipc_record_header *header, const uint8_t *payload) {
    struct verifier *v = context;
    if (v->failed) {
        return;
    }
    int64_t sequence = header->sequence;
    int32_t source = header->source;
    if (source < 0 || source >= v->slots) {
        v->failed = true;
        snprintf(v->failure, sizeof v->failure, "message %lld: source %d is not an endpoint id (0..%d)",
                 (long long) v->received + 1, source, v->slots - 1);
        return;
    }
    int64_t last = v->last_sequence[source];
    bool in_order = sequence == last + 1 || (sequence == 1 && last > 0) || (v->gaps && sequence > last);
    if (!in_order) {
        v->failed = true;
        snprintf(v->failure, sizeof v->failure, "message %lld: sequence %lld from endpoint %d follows %lld",
                 (long long) v->received + 1, (long long) sequence, source, (long long) last);
        return;
    }
    v->last_sequence[source] = sequence;
    int32_t length = pattern_length(sequence, v->seed, v->limit);
    int32_t type = pattern_type(sequence, v->seed);
    if (header->length != length || (header->type != type && !v->any_type)) {
        v->failed = true;
        snprintf(v->failure, sizeof v->failure,
                 "message %lld from endpoint %d: sequence %lld has length %d and type %d, expected %d and %d",
                 (long long) v->received + 1, source, (long long) sequence, header->length, header->type, length, type);
        return;
    }
    for (int32_t i = 0; i < length; i++) {
        if (payload[i] != pattern_byte(sequence, v->seed, i)) {
            v->failed = true;
            snprintf(v->failure, sizeof v->failure,
                     "message %lld from endpoint %d: sequence %lld byte %d is 0x%02x, expected 0x%02x",
                     (long long) v->received + 1, source, (long long) sequence, i, payload[i],
                     pattern_byte(sequence, v->seed, i));
            return;
        }
    }
    v->received++;
    v->sequence_sum += sequence;
}

static void run_recv(const struct step *step) {
    struct channel channel;
    open_channel(&channel, step->name);
    const struct pipc_ring *ring = &channel.ring;
    struct pipc_receiver receiver;
    char message[512];
    int status = pipc_receiver_open(&receiver, ring, step->blocking, message, sizeof message);
    if (status != PIPC_OK) {
        die(status == PIPC_ERR_OS ? EXIT_OS_ERROR : EXIT_REFUSED, "cannot attach a receiver to %s: %s",
            step->name, message);
    }
    active_receiver = &receiver;
    struct other_side senders;
    other_side_init(&senders, ring, PIPC_ROLE_SENDER);
    say("attached receiver endpoint %d of %s channel %s", receiver.id, pipc_channel_type_name(ring->type), step->name);
    struct verifier v = {
        .seed = step->seed, .limit = pattern_limit(ring->max_message_length), .slots = ring->slots, .gaps = step->gaps,
        .any_type = step->any_type,
        .last_sequence = calloc((size_t) ring->slots, sizeof(int64_t)),
    };
    if (v.last_sequence == NULL) {
        die(EXIT_OS_ERROR, "out of memory");
    }
    struct pipc_channel *shared = ring->channel;
    int64_t idle_since = 0;
    int64_t last_check = 0;
    while (step->count == 0 || v.received < step->count) {
        int64_t wanted = step->count == 0 ? POLL_LIMIT : step->count - v.received;
        int polled = pipc_receiver_poll(&receiver, verify, &v, wanted < POLL_LIMIT ? (int) wanted : POLL_LIMIT);
        if (v.failed) {
            die(EXIT_MISMATCH, "channel %s: %s", step->name, v.failure);
        }
        if (polled < 0) {
            die(EXIT_CORRUPT, "channel %s: the record at position %lld cannot be right", step->name,
                (long long) receiver.head);
        }
        if (polled > 0) {
            idle_since = 0;
            continue;
        }
        int64_t now = pipc_monotonic_ns();
        if (idle_since == 0) {
            idle_since = now;
        }
        if (now - last_check >= CHECK_INTERVAL_NS) {
            last_check = now;
            check_deadline_and_parent("messages");
            if (other_side_gone(&senders, ring) && pipc_receiver_senders_gone(&receiver)) {
                if (step->count == 0) {
                    break;
                }
                die(EXIT_PEER_GONE, "every sender to %s has gone after %lld of %lld messages", step->name,
                    (long long) v.received, (long long) step->count);
            }
        }
        if (step->blocking && now - idle_since >= SPIN_BEFORE_SLEEP_NS) {
            receiver.sleeps++;
            pipc_store_relaxed(&receiver.slot->waits, receiver.sleeps);
            pipc_sleep_on(&shared->data_signal, &shared->receivers_waiting, &receiver.slot->sleeping, pipc_receiver_ready,
                          &receiver, RECEIVER_SLEEP_NS);
        } else {
            sched_yield();
        }
    }
    int64_t sleeps = receiver.sleeps;
    active_receiver = NULL;
    pipc_receiver_close(&receiver);
    pipc_segment_unmap(&channel.mapping);
    free(v.last_sequence);
    say("received %lld messages, sequence sum %lld, slept %lld times", (long long) v.received,
        (long long) v.sequence_sum, (long long) sleeps);
}

/* ---- main ---- */

int main(int argc, char **argv) {
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-t") == 0) {
        deadline_s = (int) parse_number("SECONDS", argv[2], 1, 86400);
        first = 3;
    }
    if (first >= argc) {
        usage("no step given");
    }
    struct step steps[MAX_STEPS];
    int count = 0;
    for (int from = first; from < argc;) {
        int to = from;
        while (to < argc && strcmp(argv[to], "+") != 0) {
            to++;
        }
        if (count == MAX_STEPS) {
            usage("at most %d steps", MAX_STEPS);
        }
        parse_step(&steps[count++], argv, from, to);
        from = to + 1;
    }
    start_watchdog();
    for (int i = 0; i < count; i++) {
        const char *command = steps[i].command;
        if (strcmp(command, "create") == 0) {
            run_create(&steps[i]);
        } else if (strcmp(command, "check") == 0) {
            run_check(&steps[i]);
        } else if (strcmp(command, "send") == 0) {
            run_send(&steps[i]);
        } else {
            run_recv(&steps[i]);
        }
    }
    return EXIT_DONE;
}
