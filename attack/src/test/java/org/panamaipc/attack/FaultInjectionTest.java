package org.panamaipc.attack;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.channel.ChannelType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fault injection: peers killed with SIGKILL while they send, receive, hold a mutex or a permit,
 * or sit half-way through writing a record, for every ring type, message queues, mutexes and
 * semaphores ({@link AttackMode#trialsPerTransport(String)} trials each). Each trial is a test named by
 * its replay id; a problem that an entry of {@link KnownDefects} explains is reported, not failed.
 */
@Timeout(value = 4, unit = TimeUnit.HOURS)
class FaultInjectionTest {

    private static final List<String> TRANSPORTS = List.of("SPSC", "MPSC", "MPMC", "mq", "mutex", "semaphore");

    @TestFactory
    Stream<DynamicTest> trials() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String transport : TRANSPORTS) {
            String replay = AttackMode.replay("trial");
            if (AttackMode.replaying()) {
                if (replay != null && replay.startsWith(transport + ":")) {
                    long seed = AttackMode.parseSeed(replay.substring(transport.length() + 1));
                    tests.add(DynamicTest.dynamicTest("trial:" + replay, () -> runTrial(transport, seed)));
                }
                continue;
            }
            for (int i = 0; i < AttackMode.current().trialsPerTransport(transport); i++) {
                long seed = AttackMode.derive("trial-" + transport, i);
                tests.add(DynamicTest.dynamicTest("trial:" + transport + ":" + AttackMode.hex(seed),
                        () -> runTrial(transport, seed)));
            }
        }
        return tests.stream();
    }

    private static void runTrial(String transport, long seed) {
        Tally.Section section = Tally.section("fault injection");
        section.zero("trials").zero("messages acknowledged").zero("lost").zero("torn").zero("duplicated")
                .zero("phantom or uncommitted delivered").zero("hangs").zero("crashes").zero("survivor errors")
                .zero("mutual exclusion violations").zero("mutex/semaphore operations acknowledged");
        Trial trial;
        switch (transport) {
            case "mq" -> trial = new MqTrial(seed).run();
            case "mutex", "semaphore" -> trial = new SyncTrial(transport.equals("mutex"), seed).run();
            default -> trial = new RingTrial(ChannelType.valueOf(transport), seed).run();
        }
        section.add("trials", 1).add("trials " + transport, 1);
        if (trial instanceof RingTrial r) {
            section.add("messages acknowledged", r.messages).add("trials " + transport + " " + r.kind, 1);
        } else if (trial instanceof MqTrial m) {
            section.add("messages acknowledged", m.messages);
        } else if (trial instanceof SyncTrial s) {
            section.add("mutex/semaphore operations acknowledged", s.operations);
        }
        List<String> unexplained = new ArrayList<>();
        for (Trial.Problem p : trial.problems) {
            Ledger.Accounts a = trial.accounts;
            long count = a == null ? 1 : switch (p.kind()) {
                case LOST -> a.lost();
                case TORN -> a.torn();
                case DUPLICATED -> a.duplicated();
                case PHANTOM -> Math.max(1, a.phantoms());
                default -> 1;
            };
            section.add(switch (p.kind()) {
                case LOST -> "lost";
                case TORN -> "torn";
                case DUPLICATED -> "duplicated";
                case PHANTOM -> "phantom or uncommitted delivered";
                case HANG -> "hangs";
                case CRASH -> "crashes";
                case SURVIVOR_ERROR -> "survivor errors";
                case VIOLATION -> "mutual exclusion violations";
                case AFTERMATH -> "unusable or unexpected state after the trial";
                case LEFTOVER -> "objects left behind";
            }, count);
            String defect = KnownDefects.explainTrial(trial, p);
            section.finding(trial.caseId(), trial.scenario + ": " + p, defect);
            if (defect == null) {
                unexplained.add(p.toString());
            }
        }
        if (!unexplained.isEmpty()) {
            fail(trial.caseId() + " [" + trial.scenario + "] (logs in " + trial.dir + "):\n  " + String.join("\n  ", unexplained));
        }
    }
}
