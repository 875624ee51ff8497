package org.panamaipc.attack;

import java.util.Map;

/**
 * The one place that says what the attacks find today and which known defect explains it. The
 * deterministic cases (bad-input matrix rows, named hostile-segment seeds, regression cases) are
 * listed by id in {@code src/test/resources/known-failing.txt}, one per line with the key of their
 * defect; remove a line when its fix lands. Such a case that passes fails its test with "now
 * passes: remove it", so the list cannot go stale. Trials and random cases are matched by the
 * patterns below instead (an attack may simply not hit a defect, so a pattern cannot demand a
 * failure); the report counts what each explained.
 *
 * <p>Keys: {@code 10.N} is defect N of issue 10; {@code 11} the conventions of issue 11
 * (docs/conventions.md) not applied yet; {@code new-...} what the attack harness found that no
 * issue lists yet.
 */
final class KnownDefects {

    static final String D10_1 = "issue 10 #1: dead-sender gap repair scans the dead record (loss, head past tail)";
    static final String D10_2 = "issue 10 #2: SPSC sender dead between padding and commit: receiver never told CLOSED";
    static final String D10_7 = "issue 10 #7: a corrupt ring header leaks FFM's alignment error";

    /** Key to description. */
    static final Map<String, String> DEFECTS = Map.ofEntries(
            Map.entry("10.1", D10_1),
            Map.entry("10.2", D10_2),
            Map.entry("10.5", "issue 10 #5: close() while a thread waits in a primitive throws and leaks the mapping"),
            Map.entry("10.6", "issue 10 #6: a huge Duration throws ArithmeticException"),
            Map.entry("10.6+", "issue 10 #6 in places the issue does not list (IpcEvent.await, IpcLatch.await)"),
            Map.entry("10.7", D10_7),
            Map.entry("10.8", "issue 10 #8: NullPointerException from inside the library, no parameter named"),
            Map.entry("10.8-reserve", "issue 10 #8: memory not reserved at create/grow (64 TiB shared memory, 1 TiB ring accepted)"),
            Map.entry("11", "issue 11: docs/conventions.md not applied yet (nulls, closed objects, ByteBuffer positions, "
                    + "MessageTooLongException, IpcTimeoutException, close() waking blocked threads)"),
            Map.entry("new-spsc-overlay", "new: an SPSC sender that replaces a dead one writes over the dead one's claimed "
                    + "bytes; a payload word equal to its position|state is taken for a record (corrupt, or a forged message delivered)"),
            Map.entry("new-selector-close", "new: MessageQueueSelector.close() blocks while another thread waits in select() "
                    + "(select holds the selector's monitor for its whole wait)"),
            Map.entry("new-selector-wakeup", "new: MessageQueueSelector.wakeup() after close() writes to the closed "
                    + "eventfd's number (EBADF, or another file that reused it)"),
            Map.entry("new-grow", "new: a SharedMemory.grow the system refuses leaves the object enlarged and the "
                    + "SharedMemory closed"),
            Map.entry("new-overflow", "new: IpcSegment.create with a huge body size overflows into a negative size "
                    + "(IllegalArgumentException size=-9223372036854775681, not LimitReachedException)"),
            Map.entry("new-negative-size", "new: IpcSegment.open accepts a negative minBodySize"),
            Map.entry("new-offset", "new: a negative offset into the caller's memory gives FFM's IndexOutOfBoundsException, "
                    + "not IllegalArgumentException offset=-1 (docs/conventions.md)"),
            Map.entry("new-strategy-duration", "new: WaitStrategy.blocking / Backoff with a huge Duration: "
                    + "ArithmeticException when an endpoint attaches with it"));

    /** Case id to the description of the defect that makes it fail today. */
    static final Map<String, String> FAILING_CASES = load();

    private KnownDefects() {
    }

    private static Map<String, String> load() {
        Map<String, String> cases = new java.util.HashMap<>();
        try (var in = KnownDefects.class.getResourceAsStream("/known-failing.txt")) {
            if (in == null) {
                throw new IllegalStateException("known-failing.txt is missing from the test resources");
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int tab = l.indexOf('\t');
                String key = l.substring(0, tab);
                String description = DEFECTS.get(key);
                if (description == null) {
                    throw new IllegalStateException("known-failing.txt names an unknown defect key " + key + ": " + l);
                }
                if (cases.put(l.substring(tab + 1).strip(), description) != null) {
                    throw new IllegalStateException("known-failing.txt lists a case twice: " + l);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.copyOf(cases);
    }

    /** {@return the defect that explains deterministic case {@code caseId} failing, or null} */
    static String failingCase(String caseId) {
        return FAILING_CASES.get(caseId);
    }

    /**
     * {@return the defects that explain an unacceptable hostile-segment case, or null} Each of the
     * case's bad outcomes must be explained, else none is.
     */
    static String explainFuzz(String verdict, String detail) {
        if (!verdict.equals("BAD")) {
            return null;
        }
        java.util.Set<String> defects = new java.util.TreeSet<>();
        boolean consequences = false;
        for (String b : detail.split(" \\|\\| ")[0].split(" ;; ")) {
            if ((b.contains("incompatible with alignment constraint")
                    || b.contains("IndexOutOfBoundsException") && b.contains("[from FFM internals"))
                    && b.contains(" at org.panamaipc.channel.")) {
                defects.add(D10_7);
            } else if (b.contains("IllegalStateException: a claim is open at index")) {
                consequences = true; // a commit that failed (10.7) leaves its claim open: the next claims say so
            } else if (b.startsWith("attach") && b.contains("IllegalStateException") && b.contains("could not register within")) {
                // a repair lock held by a live process (a hostile value): attach waits, then throws
                // IllegalStateException where docs/conventions.md has IpcTimeoutException for a lifecycle wait
                defects.add(DEFECTS.get("11"));
            } else {
                return null;
            }
        }
        if (consequences && !defects.contains(D10_7)) {
            return null;
        }
        return defects.isEmpty() ? null : String.join(" + ", defects);
    }

    /** {@return the defect that explains problem {@code p} of fault-injection {@code trial}, or null} */
    static String explainTrial(Trial trial, Trial.Problem p) {
        if (!(trial instanceof RingTrial ring) || ring.kind == RingTrial.Scenario.KILL_RECEIVER_WHILE_RECEIVING) {
            return null;
        }
        boolean many = !trial.transport.equals("SPSC");
        boolean midClaim = ring.kind == RingTrial.Scenario.KILL_SENDER_MID_CLAIM;
        // payload words that equal their own stream position | state look like record tags
        boolean tagLike = midClaim && (ring.pattern.equals("selfpos") || ring.pattern.equals("lenpos"));
        Trial.Kind k = p.kind();
        if (many && (k == Trial.Kind.LOST || k == Trial.Kind.HANG || k == Trial.Kind.AFTERMATH
                || tagLike && (k == Trial.Kind.SURVIVOR_ERROR || k == Trial.Kind.TORN || k == Trial.Kind.PHANTOM))) {
            return D10_1;
        }
        if (!many && tagLike && k != Trial.Kind.CRASH && k != Trial.Kind.LEFTOVER && k != Trial.Kind.DUPLICATED) {
            return DEFECTS.get("new-spsc-overlay");
        }
        if (!many && !ring.replaced && (ring.padded || !midClaim) && k == Trial.Kind.HANG && p.detail().contains("no CLOSED")) {
            return D10_2;
        }
        return null;
    }
}
