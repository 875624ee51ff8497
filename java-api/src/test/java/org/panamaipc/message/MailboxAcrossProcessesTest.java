package org.panamaipc.message;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panamaipc.children.MessagingChild;
import org.panamaipc.message.MessageRecords.Job;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shared mailbox between real processes, over each transport: two sender JVMs and three
 * receiver JVMs; every job is taken by exactly one receiver, and each receiver sees each
 * producer's jobs, and each source's sequence numbers, in the order sent.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(300)
class MailboxAcrossProcessesTest {

    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(180);

    @ParameterizedTest
    @ValueSource(strings = {"ring", "queue", "ring-bare"})
    void shouldGiveEveryJobToExactlyOneOfThreeReceiversInEachProducersOrder(String transport) throws Exception {
        String name = TestNames.unique("mbox-x-" + transport);
        long perProducer = transport.startsWith("ring") ? 50_000 : 5_000;
        MailboxOptions options = switch (transport) {
            case "ring" -> MailboxOptions.ring().capacity(512);
            case "ring-bare" -> MailboxOptions.ring().capacity(512).withoutEnvelope(); // the children find out on open
            default -> MailboxOptions.queue();
        };
        List<ChildProcess> receivers = new ArrayList<>();
        List<ChildProcess> senders = new ArrayList<>();
        try (Mailbox<Job> mailbox = Mailbox.create(name, options, MessageRecords.JOBS)) {
            for (int r = 0; r < 3; r++) {
                ChildProcess receiver = ChildProcess.java(MessagingChild.class, "mailbox-receive", name);
                receivers.add(receiver);
            }
            for (ChildProcess receiver : receivers) {
                receiver.awaitOutput("READY", CHILD_DEADLINE);
            }
            for (int p = 1; p <= 2; p++) {
                senders.add(ChildProcess.java(MessagingChild.class, "mailbox-send", name, Integer.toString(p),
                        Long.toString(perProducer)));
            }
            for (ChildProcess sender : senders) {
                sender.assertSuccess(CHILD_DEADLINE);
            }
            for (int r = 0; r < 3; r++) {
                mailbox.send(new Job(MessagingChild.STOP, 0, 0, "stop"));
            }
            Set<String> taken = new HashSet<>();
            long total = 0;
            int receiversThatTookSome = 0;
            for (ChildProcess receiver : receivers) {
                receiver.assertSuccess(CHILD_DEADLINE);
                String output = receiver.output();
                assertTrue(output.contains(" ORDER ok"), "each producer's order kept: " + tail(output));
                long mine0 = output.lines().filter(l -> l.startsWith("TOOK ")).count();
                // without the envelope no header names a pid: the child read the mailbox's flag
                String pids = " WITH_PID " + (transport.equals("ring-bare") ? 0 : mine0);
                assertTrue(output.contains(pids), "expected" + pids + ": " + tail(output));
                long mine = 0;
                for (String line : output.split("\n")) {
                    if (line.startsWith("TOOK ")) {
                        assertTrue(taken.add(line), "taken twice: " + line);
                        mine++;
                    }
                }
                receiversThatTookSome += mine > 0 ? 1 : 0;
                total += mine;
            }
            assertEquals(2 * perProducer, total, "every job taken");
            assertEquals(2 * perProducer, taken.size(), "none taken twice");
            System.out.printf("mailbox over %s: %d jobs, %d of 3 receivers took some%n", transport, total, receiversThatTookSome);
        } finally {
            receivers.forEach(ChildProcess::close);
            senders.forEach(ChildProcess::close);
            Mailbox.unlinkIfExists(name);
        }
    }

    private static String tail(String output) {
        return output.length() > 400 ? output.substring(output.length() - 400) : output;
    }
}
