package org.panamaipc.bindings;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.panamaipc.testkit.ChildProcess;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds every constant, type size, struct size and field offset of the Java bindings equal to
 * what the C compiler says, as printed by {@code native/target/bin/abi_probe}.
 */
class AbiTest {

    private static Map<String, Long> c;
    private static Map<String, Long> java;

    @BeforeAll
    static void gather() throws Exception {
        c = AbiCheck.probe(ChildProcess.nativeBinary("abi_probe"));
        java = AbiCheck.java();
    }

    @Test
    void shouldAgreeWithTheCCompilerOnEveryValue() {
        assertEquals(List.of(), AbiCheck.compare(c, java),
                "Java bindings and C headers disagree; fix the Java side (or add the key to abi_probe.c)");
    }

    @Test
    void shouldCoverTheValuesTheBindingsUse() {
        // a probe that printed nothing, or a reflection that found nothing, would pass the test above
        assertTrue(c.size() > 150, "probe printed only " + c.size() + " values");
        for (String key : List.of("O_CREAT", "FUTEX_WAIT_BITSET", "SYS_futex", "EMSGSIZE", "sizeof.mq_attr",
                "offsetof.timespec.tv_nsec", "offsetof.stat.st_size", "offsetof.sigevent.sigev_notify_function",
                "sizeof.pid_t", "MQ_PRIO_MAX", "MAP_FAILED", "SYS_tgkill", "SYS_gettid", "SIGRTMAX", "SA_RESTART",
                "SIG_IGN", "sizeof.sigaction", "offsetof.sigaction.sa_flags", "offsetof.sigaction.sa_handler",
                "sizeof.off_t", "ENOSPC", "EOPNOTSUPP", "EFBIG",
                "SCM_RIGHTS", "SO_PEERCRED", "sizeof.msghdr", "offsetof.msghdr.msg_controllen", "sizeof.cmsghdr",
                "offsetof.cmsghdr.cmsg_type", "sizeof.ucred", "offsetof.ucred.gid", "offsetof.sockaddr_un.sun_path",
                "CMSG_SPACE(4)", "CMSG_LEN(1012)", "CMSG_DATA_OFFSET", "F_ADD_SEALS", "F_SEAL_GROW", "MFD_ALLOW_SEALING",
                "S_IFIFO", "SIGPIPE", "sizeof.sigset_t", "EPIPE", "ENXIO")) {  // sizeof.off_t..EFBIG: what fallocate takes and answers
            assertTrue(java.containsKey(key), "Java side lacks " + key);
            assertTrue(c.containsKey(key), "probe lacks " + key);
        }
    }

    @Test
    void shouldReportAWrongConstant() {
        Map<String, Long> wrong = new TreeMap<>(java);
        wrong.put("O_CREAT", java.get("O_CREAT") + 1);
        List<String> problems = AbiCheck.compare(c, wrong);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("O_CREAT: C says 64, Java says 65"), problems.getFirst());
    }

    @Test
    void shouldReportAWrongOffsetAndAKeyOnOneSideOnly() {
        Map<String, Long> wrong = new TreeMap<>(java);
        wrong.put("offsetof.mq_attr.mq_msgsize", 8L);
        wrong.remove("EEXIST");
        wrong.put("FUTEX_NEW_OP", 99L);
        List<String> problems = AbiCheck.compare(c, wrong);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("EEXIST: printed by the ABI probe")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("FUTEX_NEW_OP: bound in Java")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("offsetof.mq_attr.mq_msgsize: C says 16, Java says 8")),
                problems.toString());
    }

    @Test
    void shouldReadUnsignedCConstantsAsTheirJavaIntBits() {
        assertEquals(-1, futex_h.FUTEX_BITSET_MATCH_ANY());
        assertEquals(4294967295L, c.get("FUTEX_BITSET_MATCH_ANY"));
        assertEquals(List.of(), AbiCheck.compare(Map.of("FUTEX_BITSET_MATCH_ANY", 4294967295L),
                Map.of("FUTEX_BITSET_MATCH_ANY", -1L)));
    }
}
