package org.panamaipc.demos;

import org.panamaipc.Access;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * POSIX message queues between two JVMs, with priorities. Run it with native access enabled:
 * {@snippet lang=shell :
 * java --enable-native-access=ALL-UNNAMED -cp <class path> org.panamaipc.demos.MessageQueueDemo
 * }
 *
 * <p>What happens:
 * <ol>
 * <li>The parent creates two queues: {@code /pipc-demo-mq-PID-requests} and
 *     {@code /pipc-demo-mq-PID-replies}.
 * <li>It sends six requests with mixed priorities, before anyone listens: the kernel keeps them.
 * <li>It starts a child JVM of this class (same {@code java}, same class path, native access on),
 *     which receives the requests: highest priority first, first-in first-out within a priority.
 * <li>The child then blocks in a receive; the parent sends one more request, which wakes it.
 * <li>The child answers on the reply queue; the parent receives the answer and the child exits.
 * <li>The parent unlinks both queues, also when something failed.
 * </ol>
 * Every line says which process printed it. A watchdog ends the child after 30 seconds.
 *
 * <p>Entry points: {@link #main(String[])} (exits with the status), and {@link #run(PrintStream)}
 * (returns it, for a launcher that runs the demo in its own JVM, such as {@code ./ipc demo mq}).
 */
public final class MessageQueueDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "mq";

    private static final String CHILD_ROLE = "--child";
    private static final int MAX_MESSAGES = 10;
    private static final int MAX_MESSAGE_LENGTH = 256;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** How the child's first reply starts when the requests came in the order the kernel promises. */
    private static final String IN_ORDER = "drained in order: ";

    /** The requests of step 2, in the order sent. */
    private static final List<Message> REQUESTS = List.of(
            request("nightly report", 0),
            request("restock shelf 4", 5),
            request("customer refund #1138", 9),
            request("archive logs", 0),
            request("restock shelf 7", 5),
            request("fire alarm test at 14:00", 20));

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public MessageQueueDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "prioritised messages between two JVMs through POSIX message queues held by the kernel";
    }

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        PrintStream stream = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                out.write(new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                out.flush();
            }
        }, true, StandardCharsets.UTF_8);
        Process[] child = new Process[1];
        String failure;
        try {
            failure = run(stream, childOutput, child);
        } catch (IOException e) {
            failure = e.getMessage();
        } finally {
            stream.flush();
            DemoSupport.copyChildOutput(childOutput, child[0], out);
        }
        stream.println();
        return check(stream, failure);
    }

    /** Prints the final check; {@return 0 if {@code failure} is null, else 1} */
    private static int check(PrintStream out, String failure) {
        if (failure == null) {
            out.println("Check: " + REQUESTS.size() + " requests arrived highest priority first and in order within a "
                    + "priority, a blocked receive woke for one more; both queues are removed.");
            out.println("Next: demos/src/main/java/org/panamaipc/demos/MessageQueueDemo.java, and `ipc mq send` / "
                    + "`ipc mq recv` to try any queue by hand.");
        } else {
            out.println("Check FAILED: " + failure);
        }
        out.flush();
        return failure == null ? 0 : 1;
    }

    private static Message request(String text, int priority) {
        return new Message(text.getBytes(StandardCharsets.UTF_8), priority);
    }

    /**
     * Runs the demo; with {@code --child REQUESTS REPLIES} as arguments, runs the child's part.
     * Exits with status 0 when all went as described, 1 otherwise.
     */
    public static void main(String[] args) throws Exception {
        int status = args.length > 0 && args[0].equals(CHILD_ROLE)
                ? child(args[1], args[2], System.out)
                : run(System.out);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs the parent's part, which starts the child JVM, printing to {@code out}; {@return 0 when
     * all went as described, 1 otherwise} The queues are unlinked before it returns.
     */
    public static int run(PrintStream out) throws IOException, InterruptedException {
        String failure = run(out, Redirect.INHERIT, new Process[1]);
        out.println();
        return check(out, failure);
    }

    /** {@return null if all went as described, else what did not} */
    private static String run(PrintStream out, Redirect childOutput, Process[] started) throws IOException, InterruptedException {
        String prefix = "/pipc-demo-mq-" + ProcessHandle.current().pid();
        String requestsName = prefix + "-requests";
        String repliesName = prefix + "-replies";
        String me = "[parent " + ProcessHandle.current().pid() + "]";
        Process child = null;
        try (MessageQueue requests = MessageQueue.create(requestsName, QueueOptions.of(MAX_MESSAGES, MAX_MESSAGE_LENGTH));
             MessageQueue replies = MessageQueue.create(repliesName, QueueOptions.of(MAX_MESSAGES, MAX_MESSAGE_LENGTH))) {
            out.printf("%s created %s and %s: up to %d messages of %d bytes each, mode 0%o%n", me, requestsName,
                    repliesName, requests.maxMessages(), requests.maxMessageLength(), requests.mode());
            for (Message m : REQUESTS) {
                requests.send(m.payload(), m.priority());
                out.printf("%s sent     priority %2d: %s%n", me, m.priority(), m.text());
            }
            out.printf("%s %d requests wait in the kernel; starting the child JVM%n", me, requests.messageCount());
            out.flush();
            child = ChildJvm.start(MessageQueueDemo.class, List.of(CHILD_ROLE, requestsName, repliesName), childOutput);
            started[0] = child;

            // the child prints "waiting" once it has drained the queue and blocks for the next one;
            // the reply queue tells us when, without sleeping on a guess
            Message ready = replies.receive(DEADLINE);
            if (ready == null) {
                return "the child did not report within " + DEADLINE.toSeconds() + " s";
            }
            out.printf("%s child says: %s%n", me, ready.text());
            if (!ready.text().startsWith(IN_ORDER)) {
                return "the child received the requests out of order: " + ready.text();
            }
            Message last = request("shutdown", 1);
            // say it before sending: the woken child prints at once, and the two processes share
            // the terminal, so a line printed after the send could be cut by the child's
            out.printf("%s sending  priority %2d: %s (wakes the child, blocked in receive)%n", me,
                    last.priority(), last.text());
            out.flush();
            requests.send(last.payload(), last.priority());
            Message answer = replies.receive(DEADLINE);
            if (answer == null) {
                return "no answer from the child within " + DEADLINE.toSeconds() + " s";
            }
            out.printf("%s child says: %s%n", me, answer.text());
            out.flush();
            if (!child.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                return "the child is still running after " + DEADLINE.toSeconds() + " s";
            }
            out.printf("%s child exited with %d%n", me, child.exitValue());
            return child.exitValue() == 0 ? null : "the child exited with " + child.exitValue();
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            boolean removed = MessageQueue.unlinkIfExists(requestsName) & MessageQueue.unlinkIfExists(repliesName);
            out.printf("%s unlinked the queues%s%n", me, removed ? "" : " (some were gone already)");
            out.flush();
        }
    }

    private static int child(String requestsName, String repliesName, PrintStream out) throws InterruptedException {
        String me = "[child  " + ProcessHandle.current().pid() + "]";
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(DEADLINE);
                out.printf("%s still running after %s; giving up%n", me, DEADLINE);
                out.flush();
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException done) {
                // finished in time
            }
        });
        try (MessageQueue requests = MessageQueue.open(requestsName, Access.READ_ONLY);
             MessageQueue replies = MessageQueue.open(repliesName, Access.WRITE_ONLY)) {
            out.printf("%s opened %s; %d messages waiting%n", me, requestsName, requests.messageCount());
            List<Message> received = new ArrayList<>();
            Message m;
            while ((m = requests.tryReceive()) != null) {
                out.printf("%s received priority %2d: %s%n", me, m.priority(), m.text());
                received.add(m);
            }
            // what the kernel promises: highest priority first, and first in, first out within one
            List<Message> expected = new ArrayList<>(REQUESTS);
            expected.sort(Comparator.comparingInt(Message::priority).reversed()); // a stable sort keeps FIFO
            boolean inOrder = received.equals(expected);
            out.printf("%s queue empty after %d messages%s; now blocking in receive%n", me, received.size(),
                    inOrder ? ": highest priority first, FIFO within one" : ", NOT in the order expected");
            out.flush();
            replies.send(((inOrder ? IN_ORDER : "OUT OF ORDER: ") + received.size() + " requests, waiting for more")
                    .getBytes(StandardCharsets.UTF_8), 0);
            if (!inOrder) {
                return 1;
            }
            m = requests.receive(DEADLINE);
            if (m == null) {
                out.printf("%s nothing came within %s%n", me, DEADLINE);
                return 1;
            }
            out.printf("%s woke up: priority %2d: %s%n", me, m.priority(), m.text());
            replies.send(("got \"" + m.text() + "\"; goodbye").getBytes(StandardCharsets.UTF_8), 0);
            out.flush();
            return 0;
        } finally {
            watchdog.interrupt();
        }
    }
}
