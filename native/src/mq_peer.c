/*
 * mq_peer - a C peer for panama-ipc's POSIX message-queue interop tests.
 *
 *   mq_peer [-t SECONDS] send NAME PRIO:TEXT...   open the existing queue NAME for writing and
 *                                                 send each TEXT (without a NUL) at priority PRIO,
 *                                                 in order, waiting while the queue is full
 *   mq_peer [-t SECONDS] receive NAME COUNT       open NAME for reading and receive COUNT messages,
 *                                                 waiting for each
 *
 * Every line it prints is one of:
 *   opened NAME maxmsg=M msgsize=S curmsgs=C
 *   sent priority=P length=L payload=TEXT
 *   received priority=P length=L payload=TEXT     (bytes outside printable ASCII as \xHH)
 *   failed CALL: ERRNO_TEXT (errno N)
 *   DEADLINE: still running after N s
 *   done
 *
 * It never outlives its deadline (-t, default 30 s): an alarm ends it with exit code 124, and every
 * receive waits with mq_timedreceive for at most the time left. Exit codes: 0 done, 2 usage,
 * 3 a call failed, 124 deadline.
 */
#include "panama_ipc.h"
#include <stdio.h>
#include <stdlib.h>

#define EXIT_USAGE 2
#define EXIT_CALL_FAILED 3
#define EXIT_DEADLINE 124

static unsigned deadline_seconds = 30;
static struct timespec deadline; /* CLOCK_REALTIME, for mq_timedreceive and mq_timedsend */

static void on_alarm(int signo) {
    (void) signo;
    static const char text[] = "DEADLINE: still running after its deadline\n";
    ssize_t ignored = write(STDOUT_FILENO, text, sizeof text - 1);
    (void) ignored;
    _exit(EXIT_DEADLINE);
}

static int failed(const char *call) {
    int errnum = errno;
    printf("failed %s: %s (errno %d)\n", call, strerror(errnum), errnum);
    fflush(stdout);
    return EXIT_CALL_FAILED;
}

static int usage(void) {
    fprintf(stdout, "usage: mq_peer [-t SECONDS] send NAME PRIO:TEXT...\n"
                    "       mq_peer [-t SECONDS] receive NAME COUNT\n");
    return EXIT_USAGE;
}

static void print_payload(const char *bytes, ssize_t length) {
    for (ssize_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char) bytes[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            putchar(c);
        } else {
            printf("\\x%02x", c);
        }
    }
}

static int open_queue(const char *name, int flags, struct mq_attr *attr) {
    mqd_t mqd = mq_open(name, flags);
    if (mqd == (mqd_t) -1) {
        return -1;
    }
    if (mq_getattr(mqd, attr) != 0) {
        int errnum = errno;
        mq_close(mqd);
        errno = errnum;
        return -1;
    }
    printf("opened %s maxmsg=%ld msgsize=%ld curmsgs=%ld\n", name, attr->mq_maxmsg, attr->mq_msgsize,
           attr->mq_curmsgs);
    fflush(stdout);
    return mqd;
}

static int send_all(const char *name, int count, char **messages) {
    struct mq_attr attr;
    mqd_t mqd = open_queue(name, O_WRONLY, &attr);
    if (mqd == (mqd_t) -1) {
        return failed("mq_open");
    }
    for (int i = 0; i < count; i++) {
        char *colon = strchr(messages[i], ':');
        if (colon == NULL) {
            mq_close(mqd);
            return usage();
        }
        unsigned long priority = strtoul(messages[i], NULL, 10);
        const char *text = colon + 1;
        size_t length = strlen(text);
        if (mq_timedsend(mqd, text, length, (unsigned) priority, &deadline) != 0) {
            int code = failed("mq_timedsend");
            mq_close(mqd);
            return code;
        }
        printf("sent priority=%lu length=%zu payload=", priority, length);
        print_payload(text, (ssize_t) length);
        putchar('\n');
        fflush(stdout);
    }
    return mq_close(mqd) == 0 ? 0 : failed("mq_close");
}

static int receive_all(const char *name, long count) {
    struct mq_attr attr;
    mqd_t mqd = open_queue(name, O_RDONLY, &attr);
    if (mqd == (mqd_t) -1) {
        return failed("mq_open");
    }
    char *buffer = malloc((size_t) attr.mq_msgsize);
    if (buffer == NULL) {
        mq_close(mqd);
        return failed("malloc");
    }
    int code = 0;
    for (long i = 0; i < count; i++) {
        unsigned priority = 0;
        ssize_t length = mq_timedreceive(mqd, buffer, (size_t) attr.mq_msgsize, &priority, &deadline);
        if (length < 0) {
            code = failed("mq_timedreceive");
            break;
        }
        printf("received priority=%u length=%zd payload=", priority, length);
        print_payload(buffer, length);
        putchar('\n');
        fflush(stdout);
    }
    free(buffer);
    if (mq_close(mqd) != 0 && code == 0) {
        code = failed("mq_close");
    }
    return code;
}

int main(int argc, char **argv) {
    int arg = 1;
    if (arg + 1 < argc && strcmp(argv[arg], "-t") == 0) {
        deadline_seconds = (unsigned) strtoul(argv[arg + 1], NULL, 10);
        arg += 2;
    }
    if (argc - arg < 3) {
        return usage();
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGALRM, &action, NULL) != 0) {
        return failed("sigaction");
    }
    alarm(deadline_seconds);
    if (clock_gettime(CLOCK_REALTIME, &deadline) != 0) {
        return failed("clock_gettime");
    }
    deadline.tv_sec += deadline_seconds;

    const char *mode = argv[arg];
    const char *name = argv[arg + 1];
    int code;
    if (strcmp(mode, "send") == 0) {
        code = send_all(name, argc - arg - 2, argv + arg + 2);
    } else if (strcmp(mode, "receive") == 0) {
        code = receive_all(name, strtol(argv[arg + 2], NULL, 10));
    } else {
        return usage();
    }
    if (code == 0) {
        printf("done\n");
    }
    fflush(stdout);
    return code;
}
