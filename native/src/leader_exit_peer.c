/*
 * leader_exit_peer - a process whose main thread has ended (pthread_exit) while another thread
 * runs on: /proc/<pid>/stat then shows the thread-group leader as a zombie ('Z'), yet the process
 * is alive. C peers and custom launchers do this; panama-ipc must not take it for dead.
 *
 *   leader_exit_peer [-t SECONDS] hold NAME    opens the mutex segment NAME (an IpcMutex), locks it
 *                                              from a second thread and ends the main thread; once
 *                                              /proc shows the leader as a zombie, the second
 *                                              thread prints what it sees and waits for a line (or
 *                                              EOF) on stdin, then ends the process without
 *                                              unlocking: a real death while holding the mutex
 *   leader_exit_peer alive PID START           prints pipc_process_alive's verdict on PID started
 *                                              at START (clock ticks after boot)
 *
 * Every line it prints is one of:
 *   locked pid=P start=S
 *   leader state=C              (the leader's state in /proc/<pid>/stat, after pthread_exit)
 *   self alive=0|1              (pipc_process_alive on this process, from the live thread)
 *   alive=0|1
 *   failed WHAT: TEXT
 *   DEADLINE: still running after its deadline
 *
 * It never outlives its deadline (-t, default 30 s): an alarm ends it with exit code 124. Exit
 * codes: 0 done, 2 usage, 3 a call failed, 124 deadline.
 */
#include "pipc_segment_ops.h"

#include <pthread.h>

#define EXIT_USAGE 2
#define EXIT_CALL_FAILED 3
#define EXIT_DEADLINE 124

static void on_alarm(int signo) {
    (void) signo;
    static const char text[] = "DEADLINE: still running after its deadline\n";
    ssize_t ignored = write(STDOUT_FILENO, text, sizeof text - 1);
    (void) ignored;
    _exit(EXIT_DEADLINE);
}

static int usage(void) {
    printf("usage: leader_exit_peer [-t SECONDS] hold NAME\n"
           "       leader_exit_peer alive PID START\n");
    return EXIT_USAGE;
}

static struct pipc_mapping mapping;
static pthread_mutex_t locked_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t locked_cond = PTHREAD_COND_INITIALIZER;
static int locked = 0; /* 1 once the holder has the mutex, -1 if it failed */

static void announce(int state) {
    pthread_mutex_lock(&locked_lock);
    locked = state;
    pthread_cond_signal(&locked_cond);
    pthread_mutex_unlock(&locked_lock);
}

static char leader_state(void) {
    char state = '?';
    uint64_t start;
    return pipc_read_stat(getpid(), &state, &start) ? state : '?';
}

static void *holder(void *unused) {
    (void) unused;
    struct pipc_mutex *mutex = pipc_body(&mapping);
    pid_t me = getpid();
    uint64_t start = pipc_process_start_time(me);
    if (!pipc_cas_u32(&mutex->word, 0, (uint32_t) me)) {
        printf("failed lock: the mutex is not free (word 0x%x)\n", pipc_load_acquire(&mutex->word));
        fflush(stdout);
        announce(-1);
        return NULL;
    }
    pipc_mutex_record_owner(mutex, me, start);
    printf("locked pid=%d start=%llu\n", (int) me, (unsigned long long) start);
    fflush(stdout);
    announce(1);
    /* the main thread ends now; wait until /proc shows its leader as a zombie */
    while (leader_state() != 'Z') {
        usleep(1000);
    }
    printf("leader state=%c\n", leader_state());
    printf("self alive=%d\n", pipc_process_alive(me, start) ? 1 : 0);
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin) == NULL && !feof(stdin)) {
        /* interrupted: read again */
    }
    exit(0); /* ends every thread, holding the mutex */
}

static int hold(const char *name) {
    char message[512];
    int status = pipc_segment_open(name, PIPC_KIND_MUTEX, 1, sizeof(struct pipc_mutex), 5000000000LL, &mapping,
                                   message, sizeof message);
    if (status != PIPC_OK) {
        printf("failed open: %s\n", message);
        return EXIT_CALL_FAILED;
    }
    pthread_t thread;
    if (pthread_create(&thread, NULL, holder, NULL) != 0) {
        printf("failed pthread_create\n");
        return EXIT_CALL_FAILED;
    }
    pthread_mutex_lock(&locked_lock);
    while (locked == 0) {
        pthread_cond_wait(&locked_cond, &locked_lock);
    }
    int state = locked;
    pthread_mutex_unlock(&locked_lock);
    if (state < 0) {
        return EXIT_CALL_FAILED;
    }
    pthread_exit(NULL); /* the leader becomes a zombie; the holder runs on */
}

int main(int argc, char **argv) {
    unsigned seconds = 30;
    int arg = 1;
    if (argc > 2 && strcmp(argv[1], "-t") == 0) {
        seconds = (unsigned) strtoul(argv[2], NULL, 10);
        arg = 3;
    }
    signal(SIGALRM, on_alarm);
    alarm(seconds);
    if (argc - arg == 2 && strcmp(argv[arg], "hold") == 0) {
        return hold(argv[arg + 1]);
    }
    if (argc - arg == 3 && strcmp(argv[arg], "alive") == 0) {
        pid_t pid = (pid_t) strtol(argv[arg + 1], NULL, 10);
        uint64_t start = strtoull(argv[arg + 2], NULL, 10);
        printf("alive=%d\n", pipc_process_alive(pid, start) ? 1 : 0);
        return 0;
    }
    return usage();
}
