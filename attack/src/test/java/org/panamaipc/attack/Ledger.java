package org.panamaipc.attack;

import org.panamaipc.attack.children.Log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The accounts of one trial, from the logs its children wrote: what each sender acknowledged
 * ({@code ack-*}: a send or commit returned) and what each receiver received ({@code recv-*}). A
 * message acknowledged and never received is lost, one received twice is duplicated, one that
 * fails its checksum (or whose header disagrees with its payload) is torn, one that no producer
 * sent is a phantom. A receiver killed by the trial may have taken one message and died before
 * logging it: each such receiver excuses one missing message ("in hand"), no more.
 */
final class Ledger {

    /** The counts of one trial, and the first few cases of each problem. */
    record Accounts(long acked, long received, long lost, long inHand, long torn, long duplicated, long phantoms,
                    boolean uncommittedDelivered, List<String> examples) {

        /** {@return whether nothing was lost (beyond the receivers' hands), torn, duplicated or made up} */
        boolean clean() {
            return lost == 0 && torn == 0 && duplicated == 0 && phantoms == 0 && !uncommittedDelivered;
        }
    }

    private Ledger() {
    }

    /**
     * Reads the logs in {@code dir}.
     *
     * @param attempted      producer id to the highest sequence number it was asked to send
     * @param killedReceivers receivers killed during the trial
     * @param neverCommitted  the message a sender died holding a claim on, as "producer:seq", or null
     */
    static Accounts read(Path dir, Map<Integer, Long> attempted, int killedReceivers, String neverCommitted) {
        Map<Integer, Set<Long>> acked = new HashMap<>();
        Map<String, Integer> receivedCount = new HashMap<>();
        long received = 0;
        long torn = 0;
        long phantoms = 0;
        List<String> examples = new ArrayList<>();
        for (Path file : files(dir, "ack-")) {
            for (Log.Entry e : Log.read(file)) {
                acked.computeIfAbsent(e.a(), k -> new HashSet<>()).add(e.b());
            }
        }
        for (Path file : files(dir, "recv-")) {
            for (Log.Entry e : Log.read(file)) {
                received++;
                if (e.c() != 0) {
                    torn++;
                    example(examples, (e.c() == 1 ? "torn (checksum)" : "torn (header disagrees)") + " in "
                            + file.getFileName() + ": producer " + e.a() + " seq " + e.b());
                    continue;
                }
                Long max = attempted.get(e.a());
                if (max == null || e.b() < 1 || e.b() > max) {
                    phantoms++;
                    example(examples, "phantom in " + file.getFileName() + ": producer " + e.a() + " seq " + e.b());
                    continue;
                }
                receivedCount.merge(e.a() + ":" + e.b(), 1, Integer::sum);
            }
        }
        long duplicated = 0;
        for (Map.Entry<String, Integer> e : receivedCount.entrySet()) {
            if (e.getValue() > 1) {
                duplicated += e.getValue() - 1;
                example(examples, "duplicated " + e.getValue() + " times: producer:seq " + e.getKey());
            }
        }
        long ackedCount = 0;
        long missing = 0;
        List<String> missingExamples = new ArrayList<>();
        for (Map.Entry<Integer, Set<Long>> e : acked.entrySet()) {
            for (long seq : e.getValue()) {
                ackedCount++;
                if (!receivedCount.containsKey(e.getKey() + ":" + seq)) {
                    missing++;
                    example(missingExamples, "producer " + e.getKey() + " seq " + seq);
                }
            }
        }
        long inHand = Math.min(missing, killedReceivers);
        long lost = missing - inHand;
        if (lost > 0) {
            examples.add("lost " + lost + " (" + missing + " missing, " + inHand + " excused as in a killed receiver's hand): "
                    + missingExamples);
        }
        boolean uncommitted = neverCommitted != null && receivedCount.containsKey(neverCommitted);
        if (uncommitted) {
            examples.add("delivered the message whose sender died holding its claim: " + neverCommitted);
        }
        return new Accounts(ackedCount, received, lost, inHand, torn, duplicated, phantoms, uncommitted, examples);
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < 8) {
            examples.add(text);
        }
    }

    private static List<Path> files(Path dir, String prefix) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
