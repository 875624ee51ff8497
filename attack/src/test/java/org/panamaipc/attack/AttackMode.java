package org.panamaipc.attack;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How hard this run attacks: {@link #SHORT} (the default, part of {@code mvn verify} and
 * {@code ci/test}: a sample of every attack, well under two minutes on two cores) or {@link #LONG}
 * ({@code ci/attack}, {@code -Dattack.mode=long}: the full counts). Also the run's seed, from which
 * every trial and case seed derives, and the replay of one case.
 *
 * <p>{@code -Dattack.seed} takes either a number, the run seed (every section then draws the same
 * trials and cases again), or one case's printed id, such as {@code fuzz:0x1f2e3d4c5b6a7988} or
 * {@code trial:MPSC:0x...}: then only the section that owns that kind of case runs, and only that
 * case.
 */
public enum AttackMode {
    /** A sample of every attack. */
    SHORT(2, 150, 3, 2_000),
    /** The full attack. */
    LONG(50, 10_000, 180, 10_000);

    private final int trialsPerTransport;
    private final int fuzzCases;
    private final int soakSeconds;
    private final int leakCycles;

    AttackMode(int trialsPerTransport, int fuzzCases, int soakSeconds, int leakCycles) {
        this.trialsPerTransport = trialsPerTransport;
        this.fuzzCases = fuzzCases;
        this.soakSeconds = soakSeconds;
        this.leakCycles = leakCycles;
    }

    private static final AttackMode CURRENT = parse(System.getProperty("attack.mode"));
    private static final String SEED_PROPERTY = blankToNull(System.getProperty("attack.seed"));
    private static final long RUN_SEED = chooseRunSeed();

    /**
     * {@return the number set by system property {@code property} (-Dattack.trials, -Dattack.fuzz,
     * -Dattack.soak in seconds per transport, -Dattack.cycles per kind), else {@code modeValue}}
     * For a long run that must end by a given time; the report says the counts it ran.
     */
    private static int override(String property, int modeValue) {
        String value = blankToNull(System.getProperty(property));
        if (value == null || value.startsWith("${")) {
            return modeValue;
        }
        int n = Integer.parseInt(value.strip());
        if (n <= 0) {
            throw new IllegalArgumentException(property + "=" + n + " must be positive");
        }
        return n;
    }

    /** {@return the mode of this run} */
    public static AttackMode current() {
        return CURRENT;
    }

    /**
     * {@return fault-injection trials for {@code transport}} The short mode tries each ring type
     * twice (the trial draws its scenario) and the other transports once.
     */
    public int trialsPerTransport(String transport) {
        boolean ring = transport.equals("SPSC") || transport.equals("MPSC") || transport.equals("MPMC");
        return override("attack.trials", this == SHORT && !ring ? 1 : trialsPerTransport);
    }

    /** {@return how many messages each sender of a trial sends} */
    public long messagesPerTrialSender() {
        return this == SHORT ? 600 : 4000;
    }

    /** {@return hostile-segment cases, besides the named regression cases} */
    public int fuzzCases() {
        return override("attack.fuzz", fuzzCases);
    }

    /** {@return how long each soak runs, in seconds} */
    public int soakSeconds() {
        return override("attack.soak", soakSeconds);
    }

    /** {@return open/close cycles per object kind in the leak check} */
    public int leakCycles() {
        return override("attack.cycles", leakCycles);
    }

    /** {@return the run seed: every trial and case seed derives from it} */
    public static long runSeed() {
        return RUN_SEED;
    }

    private static long chooseRunSeed() {
        if (SEED_PROPERTY != null && !SEED_PROPERTY.contains(":")) {
            return parseSeed(SEED_PROPERTY);
        }
        return new SplittableRandom().nextLong();
    }

    /**
     * {@return the case to replay if {@code -Dattack.seed} names one of kind {@code kind} (the text
     * after {@code kind:}), or null}
     */
    public static String replay(String kind) {
        if (SEED_PROPERTY == null || !SEED_PROPERTY.startsWith(kind + ":")) {
            return null;
        }
        return SEED_PROPERTY.substring(kind.length() + 1);
    }

    /** {@return whether this run replays one case (of any kind) rather than running everything} */
    public static boolean replaying() {
        return SEED_PROPERTY != null && SEED_PROPERTY.contains(":");
    }

    /** {@return the seed of the {@code index}-th item of {@code stream} (a name such as "fuzz")} */
    public static long derive(String stream, long index) {
        long h = RUN_SEED ^ stream.hashCode() * 0x9E3779B97F4A7C15L;
        return mix(h + index * 0xBF58476D1CE4E5B9L);
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit value from any input. */
    public static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /** {@return {@code seed} as the hexadecimal text that {@code -Dattack.seed} reads back} */
    public static String hex(long seed) {
        return "0x" + Long.toHexString(seed);
    }

    /** {@return the seed written by {@link #hex(long)}, or any form {@link Long#decode} reads} */
    public static long parseSeed(String text) {
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Long.parseUnsignedLong(t.substring(2), 16);
        }
        return Long.parseLong(t);
    }

    private static AttackMode parse(String value) {
        String v = blankToNull(value);
        if (v == null || v.startsWith("${")) {
            return SHORT;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "short" -> SHORT;
            case "long" -> LONG;
            default -> throw new IllegalArgumentException("attack.mode=" + value + " must be short or long");
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? null : value.trim();
    }
}
