package org.panamaipc.process;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessIdTest {

    @Test
    void shouldIdentifyThisProcessAsAlive() {
        ProcessId me = ProcessId.current();
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(me.startTime() > 0);
        assertTrue(me.isAlive());
        assertEquals(me, ProcessId.of(me.pid()));
    }

    @Test
    void shouldSeeAnExitedProcessAsDead() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            ProcessId id = ProcessId.of((int) p.pid());
            assertTrue(id.isAlive());
            p.destroyForcibly();
            p.waitFor();
            assertFalse(id.isAlive());
            assertNull(ProcessId.of((int) p.pid()));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void shouldTellAReusedPidFromItsFormerOwner() {
        ProcessId me = ProcessId.current();
        // same pid, another start time: what a waiter sees when the pid went to a new process
        assertFalse(new ProcessId(me.pid(), me.startTime() - 1).isAlive());
        assertFalse(ProcessId.isAlive(0, 0));
        assertFalse(ProcessId.isAlive(-5, 0));
    }
}
