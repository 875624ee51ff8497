package org.panamaipc.cli;

import org.panamaipc.Access;
import org.panamaipc.NotFoundException;
import org.panamaipc.Outcome;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.MessageQueueLimits;
import org.panamaipc.mq.QueueOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code ipc mq send|recv}: any POSIX message queue, panama-ipc's or another program's (a C
 * program's {@code mq_open} names work as they are).
 */
@Command(name = "mq",
        description = "Sends to and receives from any POSIX message queue.",
        mixinStandardHelpOptions = true,
        subcommands = {MqCommand.Send.class, MqCommand.Receive.class, HelpCommand.class},
        footer = {"", "Examples:", "  ipc mq send /orders 'restock shelf 4' --priority 5 --create",
                "  ipc mq recv /orders --count 2 --timeout 5s"})
public final class MqCommand implements Callable<Integer> {

    /** How long a send or receive waits when not told: as long as it takes, as mq_send and mq_receive do. */
    static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    @Spec
    private CommandSpec spec;

    /** Created by picocli. */
    public MqCommand() {
    }

    /** Without a subcommand: a wrong command line. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "give a subcommand: send or recv");
    }

    /** {@return a hint when {@code name} is no queue but shared memory: the other name space} */
    static String otherKind(String name) {
        return Inspector.segmentExists(name) ? " (" + name + " is shared memory: ipc stat " + name + ")" : "";
    }

    /** {@code ipc mq send NAME TEXT [--priority N] [--create]}. */
    @Command(name = "send", description = {"Sends a message to a queue.",
            "TEXT in UTF-8, waiting while the queue is full. With --create, creates the queue first if it does not "
                    + "exist."},
            mixinStandardHelpOptions = true)
    static final class Send implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", converter = Converters.Name.class, description = "the queue")
        private String name;

        @Parameters(index = "1", paramLabel = "TEXT", description = "the message")
        private String text;

        @Option(names = {"-p", "--priority"}, paramLabel = "N", defaultValue = "0",
                description = "0 (lowest, the default) to 32767 on Linux (MQ_PRIO_MAX - 1); higher is received first")
        private int priority;

        @Option(names = "--create", description = "create the queue if it does not exist")
        private boolean create;

        @Option(names = "--max-messages", paramLabel = "N",
                description = "with --create: its capacity (default: fs.mqueue.msg_default, at most msg_max)")
        private Integer maxMessages;

        @Option(names = "--max-length", paramLabel = "BYTES", converter = Converters.Size.class,
                description = "with --create: its longest message (default: fs.mqueue.msgsize_default)")
        private Long maxLength;

        @Option(names = "--mode", paramLabel = "MODE", converter = Converters.Mode.class, defaultValue = "0600",
                description = "with --create: permission bits in octal (default: ${DEFAULT-VALUE})")
        private int mode;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.Time.class,
                description = "how long to wait while the queue is full (default: as long as it takes; 0: not at all)")
        private Duration timeout;

        @Option(names = "--json", description = "print JSON")
        private boolean json;

        @Override
        public Integer call() throws InterruptedException {
            if (priority < 0 || priority > MessageQueue.MAX_PRIORITY) {
                throw new ParameterException(spec.commandLine(), "--priority: " + priority + " is outside 0.."
                        + MessageQueue.MAX_PRIORITY);
            }
            if (!create && (maxMessages != null || maxLength != null)) {
                throw new ParameterException(spec.commandLine(), "--max-messages and --max-length go with --create");
            }
            byte[] message = text.getBytes(StandardCharsets.UTF_8);
            boolean created = false;
            MessageQueue queue;
            if (create) {
                MessageQueueLimits limits = MessageQueueLimits.current();
                int messages = maxMessages != null ? maxMessages
                        : (int) Math.max(1, Math.min(limits.msgDefault(), limits.effectiveMsgMax()));
                long length = maxLength != null ? maxLength : Math.max(1, limits.msgsizeDefault());
                if (messages < 1 || length < 1 || length > Integer.MAX_VALUE) {
                    throw new ParameterException(spec.commandLine(), "--max-messages and --max-length must be positive");
                }
                queue = MessageQueue.openOrCreate(name, QueueOptions.of(messages, (int) length).mode(mode));
                created = queue.created();
            } else {
                try {
                    queue = MessageQueue.open(name, Access.WRITE_ONLY);
                } catch (NotFoundException e) {
                    throw new IpcCommand.Failure(e.getMessage() + "; add --create to create it" + otherKind(name));
                }
            }
            try (queue) {
                long sent = timeout == null ? queue.send(message, priority) : queue.send(message, priority, timeout);
                if (sent == Outcome.FULL) {
                    throw new IpcCommand.Failure("queue " + name + " is full (" + queue.maxMessages()
                            + " messages): no room within " + Human.duration(timeout));
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println(json ? Json.write(Json.object("name", name, "priority", priority, "length", message.length,
                        "created", created))
                        : (created ? "created queue " + name + " (" + queue.maxMessages() + " messages of up to "
                        + Human.bytes(queue.maxMessageLength()) + "); " : "")
                        + "sent " + message.length + " bytes at priority " + priority + " to " + name);
                out.flush();
            }
            return 0;
        }
    }

    /** {@code ipc mq recv NAME [--count N] [--timeout D]}. */
    @Command(name = "recv", aliases = "receive",
            description = {"Receives messages from a queue.",
                    "Highest priority first, each printed with its priority: `priority 5: restock shelf 4`. Waits "
                            + "for each as long as it takes, or --timeout."},
            mixinStandardHelpOptions = true)
    static final class Receive implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", converter = Converters.Name.class, description = "the queue")
        private String name;

        @Mixin
        private ReceiveOptions options;

        @Override
        public Integer call() throws InterruptedException {
            int count = options.count();
            PrintWriter out = spec.commandLine().getOut();
            MessageQueue opened;
            try {
                opened = MessageQueue.open(name, Access.READ_ONLY);
            } catch (NotFoundException e) {
                throw new IpcCommand.Failure(e.getMessage() + otherKind(name));
            }
            try (MessageQueue queue = opened; Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(queue.maxMessageLength());
                for (int i = 0; i < count; i++) {
                    Duration timeout = options.timeout();
                    int length = timeout == null ? queue.receive(buffer) : queue.receive(buffer, timeout);
                    if (length == Outcome.EMPTY) {
                        throw new IpcCommand.Failure("no message on " + name + " within " + Human.duration(timeout)
                                + options.countSoFar(i));
                    }
                    byte[] bytes = buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
                    int priority = queue.lastHeader().priority();
                    out.println(options.json() ? Json.write(Json.object("name", name, "priority", priority, "length", length,
                            "text", new String(bytes, StandardCharsets.UTF_8)))
                            : "priority " + priority + ": " + Human.text(bytes));
                    out.flush();
                }
            }
            return 0;
        }
    }
}
