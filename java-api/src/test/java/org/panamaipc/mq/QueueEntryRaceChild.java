package org.panamaipc.mq;

import org.panamaipc.testkit.Watchdog;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child JVM for {@code MessageQueueBlockingWaitTest}: {@code NAME} creates the queue, starts a
 * receive without a timeout that pauses after its last look at the interrupt status, before the
 * kernel's call ({@link QueueTransfer#PAUSE_PROPERTY}), interrupts the receiving thread there
 * (its signal runs the handler and is gone), lets it make the call, and prints how the receive
 * ended: {@code receive ended with InterruptedException} (exit 0), or that it is still blocked
 * 20 s later (exit 1).
 */
public final class QueueEntryRaceChild {

    private QueueEntryRaceChild() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty(QueueTransfer.PAUSE_PROPERTY, "true");
        Watchdog.start("queue-entry-race", Duration.ofSeconds(60));
        try (MessageQueue queue = MessageQueue.create(args[0], QueueOptions.of(1, 32))) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().name("entry-race").start(() -> {
                try {
                    outcome.complete(queue.receive());
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!QueueTransfer.pausedBeforeCall) {
                if (System.nanoTime() > deadline) {
                    System.out.println("the receive never reached its call");
                    System.exit(1);
                }
                Thread.sleep(1);
            }
            receiver.interrupt();
            Thread.sleep(20); // the signal has landed by now, in the pause: the handler ran, nothing else
            long released = System.nanoTime();
            QueueTransfer.releasePause = true;
            try {
                Object result = outcome.get(20, TimeUnit.SECONDS);
                System.out.printf("receive ended with %s %.3f ms after entering the call%n",
                        result instanceof Throwable t ? t.getClass().getSimpleName() : result,
                        (System.nanoTime() - released) / 1e6);
                System.exit(result instanceof InterruptedException ? 0 : 1);
            } catch (TimeoutException e) {
                System.out.println("the receive is still blocked 20 s after its interrupt");
                System.exit(1);
            }
        } finally {
            MessageQueue.unlinkIfExists(args[0]);
        }
    }
}
