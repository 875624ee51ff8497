package org.panamaipc.bindings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Gathers the values the C compiler gives (from the ABI probe) and the values the Java bindings
 * hold, under the probe's keys, and lists where they differ.
 */
final class AbiCheck {

    /** Every class of the bindings that holds constants or functions. */
    static final List<Class<?>> HEADERS = List.of(errno_h.class, fcntl_h.class, limits_h.class,
            mman_h.class, stat_h.class, unistd_h.class, syscall_h.class, signal_h.class, time_h.class,
            poll_h.class, mqueue_h.class, futex_h.class, string_h.class, eventfd_h.class, resource_h.class,
            socket_h.class, pthread_h.class);

    /** Every struct class of the bindings. */
    static final List<Class<?>> STRUCTS = List.of(timespec.class, mq_attr.class, pollfd.class,
            stat.class, sigevent.class, sigaction.class, rlimit.class, msghdr.class, cmsghdr.class, iovec.class,
            sockaddr_un.class, ucred.class, futex_waitv.class);

    /** The data lengths for which the probe prints the {@code CMSG_*} macros, and the Java side computes them. */
    static final List<Long> CMSG_LENGTHS = List.of(0L, 1L, 4L, 8L, 12L, 13L, 4L * 253);

    private static final Pattern CONSTANT_NAME = Pattern.compile("_?[A-Z][A-Za-z0-9_]*");

    private AbiCheck() {
    }

    /**
     * Runs the probe and parses its {@code key=value} lines, leaving out the {@code layout.} keys:
     * those describe panama-ipc's own shared-memory layouts, checked in java-api.
     */
    static Map<String, Long> probe(Path program) throws IOException, InterruptedException {
        Map<String, Long> all = probeAll(program);
        all.keySet().removeIf(key -> key.startsWith("layout."));
        return all;
    }

    /** Runs the probe and parses every one of its {@code key=value} lines. */
    static Map<String, Long> probeAll(Path program) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(program.toString()).redirectErrorStream(true).start();
        Map<String, Long> values = new TreeMap<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int eq = line.lastIndexOf('=');
                if (eq <= 0) {
                    throw new IllegalStateException("probe printed a line that is not key=value: " + line);
                }
                values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
        }
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("probe " + program + " failed");
        }
        return values;
    }

    /** The Java side's values under the probe's keys, found by reflection over the bindings. */
    static Map<String, Long> java() throws ReflectiveOperationException {
        Map<String, Long> values = new TreeMap<>();
        for (Class<?> header : HEADERS) {
            for (Method m : header.getDeclaredMethods()) {
                if (isConstant(m)) {
                    Object v = m.invoke(null);
                    long value = v instanceof MemorySegment s ? s.address() : ((Number) v).longValue();
                    values.put(m.getName(), value);
                }
            }
        }
        for (Class<?> struct : STRUCTS) {
            String name = struct.getSimpleName();
            values.put("sizeof." + name, (Long) struct.getMethod("sizeof").invoke(null));
            for (Method m : struct.getDeclaredMethods()) {
                String method = m.getName();
                if (method.endsWith("$offset") && Modifier.isPublic(m.getModifiers())) {
                    String field = method.substring(0, method.length() - "$offset".length());
                    values.put("offsetof." + name + "." + field, (Long) m.invoke(null));
                    MemoryLayout layout = (MemoryLayout) struct.getMethod(field + "$layout").invoke(null);
                    values.put("sizeof." + name + "." + field, layout.byteSize());
                }
            }
        }
        for (long n : CMSG_LENGTHS) {
            values.put("CMSG_ALIGN(" + n + ")", socket_h.CMSG_ALIGN(n));
            values.put("CMSG_SPACE(" + n + ")", socket_h.CMSG_SPACE(n));
            values.put("CMSG_LEN(" + n + ")", socket_h.CMSG_LEN(n));
        }
        for (Field f : CTypes.class.getFields()) {
            values.put("sizeof." + f.getName(), ((MemoryLayout) f.get(null)).byteSize());
        }
        return values;
    }

    private static boolean isConstant(Method m) {
        return Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                && m.getParameterCount() == 0 && CONSTANT_NAME.matcher(m.getName()).matches();
    }

    /**
     * {@return one line per disagreement: a key on one side only, or two values that differ} An
     * int or short constant equals a C value that is its unsigned reading too ({@code 0xffffffff}).
     */
    static List<String> compare(Map<String, Long> c, Map<String, Long> java) {
        List<String> problems = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(c.keySet());
        keys.addAll(java.keySet());
        for (String key : keys) {
            Long cValue = c.get(key);
            Long javaValue = java.get(key);
            if (cValue == null) {
                problems.add(key + ": bound in Java (" + javaValue + ") but not printed by the ABI probe");
            } else if (javaValue == null) {
                problems.add(key + ": printed by the ABI probe (" + cValue + ") but missing in the Java bindings");
            } else if (!sameValue(cValue, javaValue)) {
                problems.add(key + ": C says " + cValue + ", Java says " + javaValue);
            }
        }
        return problems;
    }

    private static boolean sameValue(long c, long java) {
        return c == java || (java < 0 && java >= Integer.MIN_VALUE && (java & 0xffff_ffffL) == c);
    }
}
