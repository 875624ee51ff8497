package org.panamaipc.children;

import org.panamaipc.bindings.signal_h;
import org.panamaipc.bindings.sigaction;
import org.panamaipc.internal.InterruptSignal;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Child JVM that spoils the signal {@link InterruptSignal} borrows from the JDK before any message
 * queue is used, then checks that blocking receives still end on interrupt and on close, waiting in
 * {@code poll(2)}. {@code MqSignalChild restart|ignore NAME}: {@code restart} adds
 * {@code SA_RESTART} to the JDK's handler (the kernel would restart the call instead of ending it),
 * {@code ignore} sets the action to {@code SIG_IGN}. Prints {@code usable=...}, {@code wchan=...},
 * then {@code interrupt: ...} and {@code close: ...} with what the blocked thread threw.
 */
public final class MqSignalChild {

    private MqSignalChild() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(60_000);
                System.out.println("watchdog: still running after 60 s");
                System.out.flush();
                Runtime.getRuntime().halt(9);
            } catch (InterruptedException done) {
                // finished
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        spoil(args[0]);
        System.out.println("usable=" + InterruptSignal.usable());
        System.out.println(InterruptSignal.describe());
        String name = args[1];
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 32))) {
            System.out.println("interrupt: " + blockThen(queue, true));
            System.out.println("close: " + blockThen(queue, false));
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
        System.out.flush();
        System.exit(0);
    }

    /** Makes the JDK install its handler (a blocking pipe write), then changes the action as told. */
    private static void spoil(String how) throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            sink.write(ByteBuffer.allocate(1));
            source.read(ByteBuffer.allocate(1));
        }
        int signal = signal_h.SIGRTMAX() - 2;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = sigaction.allocate(arena);
            if (signal_h.sigaction(signal, MemorySegment.NULL, action) != 0) {
                throw new IllegalStateException("sigaction read failed");
            }
            switch (how) {
                case "restart" -> sigaction.sa_flags(action, sigaction.sa_flags(action) | signal_h.SA_RESTART());
                case "ignore" -> sigaction.sa_handler(action, signal_h.SIG_IGN().address());
                default -> throw new IllegalArgumentException("unknown way " + how);
            }
            if (signal_h.sigaction(signal, action, MemorySegment.NULL) != 0) {
                throw new IllegalStateException("sigaction write failed");
            }
        }
    }

    /** Blocks a thread in receive, prints where it sleeps, then interrupts it or closes the queue. */
    private static String blockThen(MessageQueue queue, boolean interrupt) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("mq-spoiled").start(() -> {
            try {
                queue.receive(); // no timeout: the form that would wait in the kernel's call
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        String wchan = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!wchan.contains("poll") && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
            wchan = wchan("mq-spoiled");
        }
        System.out.println("wchan=" + wchan);
        long start = System.nanoTime();
        if (interrupt) {
            thread.interrupt();
        } else {
            queue.close();
        }
        Throwable t = thrown.get(20, TimeUnit.SECONDS);
        long micros = (System.nanoTime() - start) / 1000;
        thread.join(10_000);
        return (t == null ? "returned" : t.getClass().getSimpleName()) + " after " + micros + " us";
    }

    private static String wchan(String comm) throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals(comm)) {
                        return Files.readString(task.resolve("wchan")).trim();
                    }
                } catch (java.io.IOException gone) {
                    // a thread that ended while we listed
                }
            }
        }
        return "";
    }
}
