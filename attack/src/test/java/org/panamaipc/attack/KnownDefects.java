package org.panamaipc.attack;

import java.util.Map;

/**
 * The one place that lists what the attacks find today and a known defect explains. Remove an
 * entry when its fix lands: a listed deterministic case that passes fails its test with "now
 * passes: remove it", so the list cannot go stale; a pattern for trials or random cases cannot
 * demand a failure (the attack may simply not hit it), and the report counts what it explained.
 *
 * <p>Defects are named by issue and number: "issue 10 #6" is the sixth defect listed in issue
 * 10. "new" marks what the attack harness found that no issue lists yet.
 */
final class KnownDefects {

    static final String D10_1 = "issue 10 #1: dead-sender gap repair scans the dead record (loss, head past tail)";
    static final String D10_2 = "issue 10 #2: SPSC sender dead between padding and commit: receiver never told CLOSED";
    static final String D10_5 = "issue 10 #5: close() during a futex wait leaks the mapping";
    static final String D10_6 = "issue 10 #6: a huge Duration throws ArithmeticException";
    static final String D10_7 = "issue 10 #7: a corrupt ring header leaks FFM's alignment error";
    static final String D10_8 = "issue 10 #8: NullPointerException without the parameter's name";
    static final String D10_8_RESERVE = "issue 10 #8: memory not reserved at create (SIGBUS on first touch)";
    static final String I11 = "issue 11: docs/conventions.md not applied yet";

    private KnownDefects() {
    }

    /**
     * Deterministic cases (bad-input matrix rows, named hostile-segment seeds) that fail today, by
     * case id. Strict: such a case that passes fails, asking for its removal here.
     */
    static final Map<String, String> FAILING_CASES = Map.ofEntries(
            Map.entry("fuzz-regression:mpsc-unaligned-tail-in-claim", D10_7),
            Map.entry("fuzz-regression:unaligned-head-in-fresh-receiver", D10_7),
            Map.entry("fuzz-regression:head-at-records-end-in-fresh-receiver", D10_7)
    );

    /** {@return the defect that explains deterministic case {@code caseId} failing, or null} */
    static String failingCase(String caseId) {
        return FAILING_CASES.get(caseId);
    }

    /**
     * {@return the defect that explains an unacceptable hostile-segment case, or null} Each of the
     * case's bad outcomes must be explained, else none is.
     */
    static String explainFuzz(String verdict, String detail) {
        if (!verdict.equals("BAD")) {
            return null;
        }
        String[] bad = detail.split(" \\|\\| ")[0].split(" ;; ");
        for (String b : bad) {
            boolean ffm = b.contains("incompatible with alignment constraint")
                    || b.contains("IndexOutOfBoundsException") && b.contains("[from FFM internals");
            if (!ffm || !b.contains(" at org.panamaipc.channel.")) {
                return null;
            }
        }
        return D10_7;
    }

    /** {@return the defect that explains problem {@code p} of fault-injection {@code trial}, or null} */
    static String explainTrial(Trial trial, Trial.Problem p) {
        if (trial instanceof RingTrial ring) {
            boolean senderDied = ring.kind != RingTrial.Scenario.KILL_RECEIVER_WHILE_RECEIVING;
            boolean many = !trial.transport.equals("SPSC");
            if (many && senderDied && (p.kind() == Trial.Kind.LOST || p.kind() == Trial.Kind.HANG
                    || p.kind() == Trial.Kind.AFTERMATH)) {
                return D10_1;
            }
            if (!many && senderDied && p.kind() == Trial.Kind.HANG && p.detail().contains("no CLOSED")) {
                return D10_2;
            }
        }
        return null;
    }
}
