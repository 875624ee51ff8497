package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MaxLength;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.message.Header;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Indirect communication: a mailbox that several worker JVMs share, each job taken by exactly one
 * of them. This JVM puts jobs into the mailbox {@code /pipc-demo-PID-jobs} (an MPMC ring in shared
 * memory); three worker JVMs take them as they become free and post what they did to a second
 * mailbox, {@code /pipc-demo-PID-done}, which this JVM reads. Nobody names a process: senders and
 * receivers know only the mailboxes.
 *
 * {@snippet lang=java :
 * record Job(int id, @MaxLength(24) String task, int millis) {}
 *
 * // the dispatcher
 * try (Mailbox<Job> jobs = Mailbox.create("/jobs", MailboxOptions.ring(), Codec.ofRecord(Job.class))) {
 *     jobs.send(new Job(1, "resize photo-1.jpg", 40));
 * }
 * // each worker, in its own JVM
 * try (Mailbox<Job> jobs = Mailbox.open("/jobs", Codec.ofRecord(Job.class))) {
 *     Job job = jobs.receive();                       // this job goes to this worker only
 *     long queued = jobs.lastHeader().ageNanos();      // how long it waited, across processes
 * }
 * }
 *
 * <p>At the end this JVM checks that every job was done exactly once, and removes both mailboxes.
 */
public final class MailboxDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "mailbox";

    static final int WORKERS = 3;
    static final int JOBS = 30;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> TASKS = List.of("resize photo-%d.jpg", "render page %d", "zip folder %d",
            "transcode clip-%d", "index mail %d");

    /** A job: what to do and how long it takes. */
    record Job(int id, @MaxLength(24) String task, int millis) {
    }

    /** What a worker did: the job, the worker, and how long the job waited in the mailbox. */
    record Done(int job, int worker, long queuedNanos) {
    }

    static final RecordCodec<Job> JOB_CODEC = Codec.ofRecord(Job.class);
    static final RecordCodec<Done> DONE_CODEC = Codec.ofRecord(Done.class);
    /** The job that sends a worker home. */
    static final Job STOP = new Job(0, "stop", 0);

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public MailboxDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "indirect communication: " + WORKERS + " worker JVMs share one mailbox, each job done exactly once";
    }

    /** No argument: the whole demo; {@code worker N JOBS DONE}: worker N on those mailboxes. */
    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(System.out, true);
        int exitCode;
        if (args.length == 0) {
            exitCode = new MailboxDemo().run(out, Redirect.INHERIT);
        } else if (args.length == 4 && args[0].equals("worker")) {
            exitCode = work(Integer.parseInt(args[1]), args[2], args[3], out);
        } else {
            System.err.println("usage: MailboxDemo [worker N JOBS DONE]");
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        String jobsName = "/pipc-demo-" + ProcessHandle.current().pid() + "-jobs";
        String doneName = "/pipc-demo-" + ProcessHandle.current().pid() + "-done";
        DemoSupport.Side dispatcher = new DemoSupport.Side("dispatcher", out);
        out.println("A mailbox shared by " + WORKERS + " worker JVMs. This JVM posts " + JOBS + " jobs to the mailbox "
                + jobsName + ";");
        out.println("each worker takes the next job when it is free. Each job goes to exactly one worker, whoever");
        out.println("asks first; the workers post what they did to " + doneName + ". Nobody names a process.");
        out.println();
        out.flush();
        Thread unlinkOnExit = new Thread(() -> {
            Mailbox.unlinkIfExists(jobsName);
            Mailbox.unlinkIfExists(doneName);
        });
        Runtime.getRuntime().addShutdownHook(unlinkOnExit);
        ChildOutputs outputs = new ChildOutputs(childOutput);
        List<Process> workers = new ArrayList<>();
        String failure = null;
        Map<Integer, Integer> perWorker = new TreeMap<>();
        try (Mailbox<Job> jobs = Mailbox.create(jobsName, MailboxOptions.ring().capacity(64), JOB_CODEC);
             Mailbox<Done> done = Mailbox.create(doneName, MailboxOptions.ring().capacity(64), DONE_CODEC)) {
            for (int n = 1; n <= WORKERS; n++) {
                workers.add(ChildJvm.start(MailboxDemo.class, List.of("worker", Integer.toString(n), jobsName, doneName),
                        outputs.of(n)));
            }
            dispatcher.say("created the mailboxes and started %d workers (pids %s)", WORKERS,
                    workers.stream().map(p -> Long.toString(p.pid())).toList());
            for (int id = 1; id <= JOBS; id++) {
                String task = String.format(TASKS.get(id % TASKS.size()), id);
                jobs.send(new Job(id, task, 5 + (id * 37) % 40));
            }
            dispatcher.say("posted %d jobs; now %d stop jobs, one for each worker", JOBS, WORKERS);
            for (int n = 0; n < WORKERS; n++) {
                jobs.send(STOP);
            }
            boolean[] seen = new boolean[JOBS + 1];
            for (int count = 0; count < JOBS && failure == null; count++) {
                Done report = done.receive(TIMEOUT);
                if (report == null) {
                    failure = "only " + count + " of " + JOBS + " jobs were reported within " + TIMEOUT.toSeconds() + " s";
                } else if (report.job() < 1 || report.job() > JOBS || seen[report.job()]) {
                    failure = "job " + report.job() + " was reported twice, or is not a job";
                } else {
                    seen[report.job()] = true;
                    perWorker.merge(report.worker(), 1, Integer::sum);
                }
            }
            for (Process worker : workers) {
                if (!ChildJvm.stop(worker, TIMEOUT)) {
                    failure = failure != null ? failure : "worker pid " + worker.pid() + " did not stop; killed it";
                } else if (worker.exitValue() != 0 && failure == null) {
                    failure = "worker pid " + worker.pid() + " reports a problem (exit code " + worker.exitValue() + ")";
                }
            }
            Done extra = done.tryReceive();
            if (extra != null && failure == null) {
                failure = "job " + extra.job() + " was done more than once";
            }
            jobs.unlink();
            done.unlink();
        } catch (IpcException | IOException e) {
            failure = e.getMessage();
        } finally {
            workers.forEach(worker -> ChildJvm.stop(worker, Duration.ZERO));
            Mailbox.unlinkIfExists(jobsName);
            Mailbox.unlinkIfExists(doneName);
            DemoSupport.removeShutdownHook(unlinkOnExit);
            outputs.copy(WORKERS, "worker", out);
        }
        out.println();
        if (failure == null) {
            StringBuilder split = new StringBuilder();
            perWorker.forEach((worker, count) -> split.append(split.isEmpty() ? "" : ", ")
                    .append("worker ").append(worker).append(": ").append(count));
            out.printf("Check: %d jobs, each done exactly once by one of %d worker JVMs (%s); both mailboxes removed.%n",
                    JOBS, WORKERS, split);
            out.println("demos/src/main/java/org/panamaipc/demos/MailboxDemo.java reads as a tutorial.");
            out.flush();
            return 0;
        }
        out.println("Check FAILED: " + failure);
        out.flush();
        return 1;
    }

    /** A worker: takes jobs until a stop job, does each, and reports it. */
    private static int work(int worker, String jobsName, String doneName, PrintWriter out) throws InterruptedException {
        DemoSupport.Side me = new DemoSupport.Side("worker " + worker, out);
        try (Mailbox<Job> jobs = Mailbox.open(jobsName, JOB_CODEC);
             Mailbox<Done> done = Mailbox.open(doneName, DONE_CODEC)) {
            int count = 0;
            while (true) {
                Job job = jobs.receive(TIMEOUT);
                if (job == null) {
                    me.say("no job for %d s; giving up", TIMEOUT.toSeconds());
                    return 1;
                }
                if (job.id() == STOP.id()) {
                    me.say("stop: %d jobs done", count);
                    return 0;
                }
                Header header = jobs.lastHeader();
                long queued = header.ageNanos();
                me.say("job %2d %-20s waited %s in the mailbox (posted by pid %d)", job.id(), "'" + job.task() + "'",
                        DemoSupport.elapsed(queued), header.sourcePid());
                Thread.sleep(job.millis());
                done.send(new Done(job.id(), worker, queued));
                count++;
            }
        } catch (IpcException e) {
            me.say("failed: %s", e.getMessage());
            return 1;
        }
    }
}
