package org.panamaipc.attack.children;

import org.panamaipc.PermissionDeniedException;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * The permission attack's other process: {@code use KIND NAME} opens the object NAME of KIND
 * (shm, ring, mq, mutex, semaphore, event, latch) and uses it (writes a byte, sends a message,
 * takes and gives back the lock, sets the event, counts the latch down), printing {@code used}
 * or {@code refused EXCEPTION}; {@code create KIND NAME} creates it with mode 0666 (under whatever
 * umask this process has) and prints {@code created}.
 */
public final class PermissionPeer {

    private PermissionPeer() {
    }

    public static void main(String[] args) {
        Watchdog.start("permission " + args[0], Duration.ofMinutes(2));
        String kind = args[1];
        String name = args[2];
        try {
            if (args[0].equals("create")) {
                create(kind, name);
                Peers.say("created");
            } else {
                use(kind, name);
                Peers.say("used");
            }
        } catch (PermissionDeniedException e) {
            Peers.say("refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (Throwable t) {
            Peers.say("refused " + t.getClass().getName() + ": " + t.getMessage());
        }
        System.exit(0);
    }

    private static void create(String kind, String name) {
        switch (kind) {
            case "shm" -> SharedMemory.create(name, 4096, 0666).close();
            case "ring" -> RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(4096).mode(0666)).close();
            case "mq" -> MessageQueue.create(name, QueueOptions.of(2, 64).mode(0666)).close();
            case "mutex" -> IpcMutex.create(name, 0666).close();
            case "semaphore" -> IpcSemaphore.create(name, 1, 0666).close();
            case "event" -> IpcEvent.create(name, IpcEvent.Type.MANUAL_RESET, 0666).close();
            case "latch" -> IpcLatch.create(name, 1, 0666).close();
            default -> throw new IllegalArgumentException("no mode to give to a " + kind + " at create");
        }
    }

    private static void use(String kind, String name) throws InterruptedException {
        switch (kind) {
            case "shm" -> {
                try (SharedMemory s = SharedMemory.open(name)) {
                    s.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 42);
                }
            }
            case "ring" -> {
                try (RingChannel c = RingChannel.open(name); Sender s = c.sender(WaitStrategy.backoff())) {
                    if (s.send(1, "from another user".getBytes(), Duration.ofSeconds(10)) < 0) {
                        throw new IllegalStateException("could not send");
                    }
                }
            }
            case "mq" -> {
                try (MessageQueue q = MessageQueue.open(name)) {
                    q.send("from another user".getBytes(), 1);
                }
            }
            case "mutex" -> {
                try (IpcMutex m = IpcMutex.open(name)) {
                    if (!m.tryLock(Duration.ofSeconds(10))) {
                        throw new IllegalStateException("could not lock");
                    }
                    m.unlock();
                }
            }
            case "semaphore" -> {
                try (IpcSemaphore s = IpcSemaphore.open(name)) {
                    s.release();
                }
            }
            case "event" -> {
                try (IpcEvent e = IpcEvent.open(name)) {
                    e.set();
                }
            }
            case "latch" -> {
                try (IpcLatch l = IpcLatch.open(name)) {
                    l.countDown();
                }
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
    }
}
