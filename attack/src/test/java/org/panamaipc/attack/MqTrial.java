package org.panamaipc.attack;

import org.panamaipc.attack.children.MqPeer;
import org.panamaipc.attack.children.Peers;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fault-injection trial on a POSIX message queue: sender and receiver JVMs, one of them killed
 * with SIGKILL at a random moment while it sends or receives. Then every message a sender
 * acknowledged is received exactly once and intact (a killed receiver may have had one in hand),
 * every survivor ends within its deadline, the queue is empty and usable, and nothing is left once
 * it is unlinked.
 */
final class MqTrial extends Trial {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration SENDERS_FINISH = Duration.ofSeconds(180);

    long messages;

    MqTrial(long seed) {
        super("mq", seed);
    }

    MqTrial run() {
        int senders = 2 + random.nextInt(2);
        int receivers = 1 + random.nextInt(2);
        int maxMessages = pick(2, 5, 10);
        int maxSize = pick(64, 512, 8192);
        long count = AttackMode.current().messagesPerTrialSender();
        boolean victimSends = random.nextBoolean() || receivers == 1 && random.nextBoolean();
        int victim = random.nextInt(victimSends ? senders : receivers);
        scenario = (victimSends ? "KILL_SENDER_WHILE_SENDING" : "KILL_RECEIVER_WHILE_RECEIVING") + ", " + senders
                + " sender(s), " + receivers + " receiver(s), queue of " + maxMessages + " x " + maxSize + " bytes";
        String name = TestNames.unique("atk-mq");
        Map<Integer, Long> attempted = new HashMap<>();
        int killedReceivers = 0;
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(maxMessages, maxSize))) {
            List<Child> receiving = new ArrayList<>();
            for (int id = 0; id < receivers; id++) {
                receiving.add(start(Child.java(MqPeer.class, "receive", name, dir.toString(), Integer.toString(id),
                        Long.toString(seed)).label("mq-receiver-" + id)));
            }
            List<Child> sending = new ArrayList<>();
            for (int p = 0; p < senders; p++) {
                attempted.put(p, count);
                sending.add(start(Child.java(MqPeer.class, "send", name, dir.toString(), Integer.toString(p),
                        Long.toString(seed), Long.toString(count)).label("mq-sender-" + p)));
            }
            for (Child c : receiving) {
                await(c, "ready", READY);
            }
            for (Child c : sending) {
                await(c, "ready", READY);
            }
            Child target = victimSends ? sending.get(victim) : receiving.get(victim);
            Child.sleep(random.nextInt(20, 400));
            if (!target.isAlive()) {
                scenario += ", victim finished before the kill";
            }
            kill(target);
            if (!victimSends) {
                killedReceivers++;
                if (receivers == 1) {
                    receiving.add(start(Child.java(MqPeer.class, "receive", name, dir.toString(), "9",
                            Long.toString(seed)).label("mq-receiver-9")));
                    scenario += ", replaced";
                }
            }
            finishAll(sending, receiving, target, SENDERS_FINISH);
            Ledger.Accounts accounts = Ledger.read(dir, attempted, killedReceivers, null);
            messages = accounts.acked();
            account(accounts);
            aftermath(queue);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem(Kind.AFTERMATH, "interrupted: " + e);
        } finally {
            close();
            MessageQueue.unlinkIfExists(name);
        }
        checkNothingLeft(name);
        return this;
    }

    private void aftermath(MessageQueue queue) throws InterruptedException {
        if (queue.messageCount() != 0) {
            problem(Kind.AFTERMATH, queue.messageCount() + " message(s) left in the queue after the receivers drained it");
        }
        byte[] probe = "probe".getBytes();
        if (queue.send(probe, 3, Duration.ofSeconds(10)) < 0) {
            problem(Kind.AFTERMATH, "the queue did not take a message after the attack");
            return;
        }
        Message got = queue.receive(Duration.ofSeconds(10));
        if (got == null || !got.equals(new Message(probe, 3))) {
            problem(Kind.AFTERMATH, "the probe came back as " + got);
        }
    }
}
