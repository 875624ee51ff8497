package org.panamaipc.attack;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The verdict on a deterministic case: as documented (passes), failing for a listed defect
 * (reported, passes), failing for no listed reason (fails), or listed and now as documented
 * (fails, asking for the list entry's removal).
 */
final class Judge {

    private Judge() {
    }

    /** Runs {@code c}, counts it in {@code sectionName}, and fails the test as said above. */
    static void judge(String sectionName, String idPrefix, MatrixCase c) {
        Tally.Section section = Tally.section(sectionName);
        section.zero("cases").zero("as documented").zero("failing, known defect").zero("failing, unexplained");
        int colon = c.id().indexOf(':');
        section.add("cases", 1).add("cases " + (colon > 0 ? c.id().substring(0, colon) : c.id()), 1);
        String failure = c.run();
        String id = idPrefix + c.id();
        String known = KnownDefects.failingCase(c.id());
        if (failure == null && known == null) {
            section.add("as documented", 1);
        } else if (failure == null) {
            section.finding(id, "now behaves as documented, but is listed as failing", null);
            fail(id + " is listed in known-failing.txt (" + known + ") but now behaves as documented: remove it from the list");
        } else if (known != null) {
            section.add("failing, known defect", 1);
            section.finding(id, failure, known);
        } else {
            section.add("failing, unexplained", 1);
            section.finding(id, failure, null);
            fail(id + ": " + failure);
        }
    }
}
