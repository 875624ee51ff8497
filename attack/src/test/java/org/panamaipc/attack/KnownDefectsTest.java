package org.panamaipc.attack;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds known-failing.txt to the cases that exist: an entry for a case that no attack runs (its
 * entry point renamed or removed) would excuse nothing and hide nothing, and only makes the list
 * look longer than the defects are.
 */
class KnownDefectsTest {

    @Test
    void shouldListOnlyCasesThatExist() {
        Set<String> ids = new HashSet<>();
        BadInputMatrixTest.cases().forEach(c -> ids.add(c.id()));
        RegressionCasesTest.cases().forEach(c -> ids.add(c.id()));
        PermissionTest.caseIds().forEach(ids::add);
        FuzzRegressions.CASES.keySet().forEach(name -> ids.add("fuzz-regression:" + name));
        Set<String> stale = new TreeSet<>(KnownDefects.FAILING_CASES.keySet());
        stale.removeAll(ids);
        if (!stale.isEmpty()) {
            fail("known-failing.txt lists cases that no attack runs (remove them):\n  " + String.join("\n  ", stale));
        }
    }
}
