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

    /**
     * Key to description. Issue 10's defects (10.1 to 10.8) were fixed by main's merges of issue 10
     * and 11 and left the list, and so did the ring channel's last ones (new-spsc-overlay,
     * new-offset, 11, new-busy); their cases now fail if the defects come back. So did the last two
     * (new-port-closed: Port.owner()/ownerPresent() after close() threw FFM's 'Already closed';
     * new-mailbox-replyto-closed: Mailbox.replyTo() after close() returned normally).
     */
    static final Map<String, String> DEFECTS = Map.of();

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
     * {@return the defects that explain an unacceptable hostile-segment case, or null} Issue 10 #7
     * (FFM's alignment and bounds errors from a corrupt ring) and new-busy (a repair lock a live
     * process keeps, now IpcTimeoutException) are fixed: nothing is explained, every bad case fails.
     */
    static String explainFuzz(String verdict, String detail) {
        return null;
    }

    /**
     * {@return the defect that explains problem {@code p} of fault-injection {@code trial}, or null}
     * None now: the SPSC overlay (a replacement sender's short record ending inside a dead
     * sender's claim, read as a record) is fixed, and any problem of a trial fails the run.
     */
    static String explainTrial(Trial trial, Trial.Problem p) {
        return null;
    }
}
