package org.panamaipc.attack;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.attack.children.LeakChild;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Leaks: for each kind of object, in a JVM of its own ({@link LeakChild}), the descriptors of the
 * kinds panama-ipc opens (shared memory, message queues, eventfds; {@code /proc/self/fd}) and the
 * mappings of panama-ipc objects ({@code /proc/self/maps}) are the same before and after
 * {@link AttackMode#leakCycles()} open/use/close cycles (after a warm-up, so that class loading
 * and per-thread descriptors settle). In a JVM of its own nothing else opens or closes a
 * descriptor meanwhile, so all its descriptors must be the same too.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LeakTest {

    @TestFactory
    Stream<DynamicTest> openCloseCycles() {
        if (AttackMode.replaying()) {
            return Stream.empty();
        }
        return LeakChild.KINDS.stream().map(k -> DynamicTest.dynamicTest(k, () -> cycles(k)));
    }

    private static void cycles(String kind) {
        int cycles = AttackMode.current().leakCycles();
        try (Child child = Child.java(LeakChild.class, kind, Integer.toString(cycles)).label("leak").start()) {
            Integer code = child.waitFor(Duration.ofMinutes(15));
            String line = child.awaitLine("result ", Duration.ofSeconds(1));
            assertNotNull(line, kind + ": the leak check did not finish (exit " + code + "): " + child.output());
            String[] w = line.split(" ");
            long fdsBefore = Long.parseLong(w[1]);
            long fdsAfter = Long.parseLong(w[2]);
            long mapsBefore = Long.parseLong(w[3]);
            long mapsAfter = Long.parseLong(w[4]);
            Tally.Section section = Tally.section("leaks");
            section.add("open/close cycles", cycles);
            section.note(String.format("%-48s %,d cycles in %.1f s: shm/mq/eventfd descriptors %s -> %s, panama-ipc "
                    + "mappings %s -> %s (all descriptors %s -> %s, all mappings %s -> %s)", kind, cycles,
                    Double.parseDouble(w[9]), w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]));
            long allFdsBefore = Long.parseLong(w[5]);
            long allFdsAfter = Long.parseLong(w[6]);
            if (fdsAfter != fdsBefore || mapsAfter != mapsBefore || allFdsAfter != allFdsBefore) {
                section.finding("leak:" + kind, "descriptors " + fdsBefore + " -> " + fdsAfter + " (all "
                        + allFdsBefore + " -> " + allFdsAfter + "), mappings "
                        + mapsBefore + " -> " + mapsAfter + " after " + cycles + " cycles", null);
            }
            assertEquals(fdsBefore, fdsAfter, kind + ": descriptors before and after " + cycles + " cycles");
            assertEquals(mapsBefore, mapsAfter, kind + ": panama-ipc mappings before and after " + cycles + " cycles");
            // in a JVM of its own, nothing else opens or closes descriptors meanwhile
            assertEquals(allFdsBefore, allFdsAfter, kind + ": all descriptors before and after " + cycles + " cycles");
        }
    }
}
