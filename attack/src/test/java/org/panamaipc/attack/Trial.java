package org.panamaipc.attack;

import org.panamaipc.attack.children.Peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One fault-injection trial: its seed, its directory (children's logs and output), its children,
 * and the problems it found. {@link #close()} kills every child still running. Subclasses set up
 * the transport, start the peers, kill the victim and check the accounts.
 */
abstract class Trial implements AutoCloseable {

    /** A problem a trial found. */
    enum Kind {
        /** Acknowledged and never received. */
        LOST,
        /** Received with a wrong checksum, or a header that disagrees with the payload. */
        TORN,
        /** Received more than once. */
        DUPLICATED,
        /** Received, and no producer sent it; or received though its sender died before committing it. */
        PHANTOM,
        /** A survivor waited past its deadline. */
        HANG,
        /** A survivor failed with an exception. */
        SURVIVOR_ERROR,
        /** A JVM crashed (hs_err). */
        CRASH,
        /** Mutual exclusion broken, or a dead holder's half-done section not reported. */
        VIOLATION,
        /** The object was not usable, or not in the expected state, after the trial. */
        AFTERMATH,
        /** Something of the trial was left in /dev/shm or /dev/mqueue. */
        LEFTOVER
    }

    /** A problem, with what shows it. */
    record Problem(Kind kind, String detail) {
        @Override
        public String toString() {
            return kind + ": " + detail;
        }
    }

    final String transport;
    final long seed;
    final SplittableRandom random;
    final Path dir;
    final List<Child> children = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    String scenario = "?";
    /** The message accounts, for the trials that send messages. */
    Ledger.Accounts accounts;

    Trial(String transport, long seed) {
        this.transport = transport;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        try {
            Path base = Path.of(System.getProperty("panama.ipc.test.output", "target/test-processes"), "attack", "trials");
            Files.createDirectories(base);
            this.dir = Files.createTempDirectory(base, transport + "-" + Long.toHexString(seed) + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the id that replays this trial with {@code -Dattack.seed}} */
    String caseId() {
        return "trial:" + transport + ":" + AttackMode.hex(seed);
    }

    Child start(Child.Builder builder) {
        Child child = builder.in(dir).start();
        children.add(child);
        return child;
    }

    /** Waits for {@code child} to print a line starting with {@code prefix}; a problem if it does not. */
    String await(Child child, String prefix, Duration deadline) {
        String line = child.awaitLine(prefix, deadline);
        if (line == null) {
            problem(child.isAlive() ? Kind.HANG : Kind.SURVIVOR_ERROR,
                    child + " did not print \"" + prefix + "\" within " + deadline + ": " + tail(child));
        }
        return line;
    }

    /**
     * Waits for a survivor to end, at most {@code deadline}; a hang if it does not, an error if it
     * ends with anything but 0.
     */
    void finish(Child child, Duration deadline) {
        Integer code = child.waitFor(deadline);
        if (code == null) {
            problem(Kind.HANG, child + " still running after " + deadline + ": " + tail(child));
            child.close();
        } else if (child.crashed()) {
            problem(Kind.CRASH, child + " crashed (" + child.errorFile() + "): " + tail(child));
        } else if (code == Peers.EXIT_HANG) {
            problem(Kind.HANG, child + ": " + tail(child));
        } else if (code != 0) {
            problem(Kind.SURVIVOR_ERROR, child + " exited with " + code + ": " + tail(child));
        }
    }

    /**
     * Waits for {@code senders} to end (at most {@code deadline}), then for {@code receivers}
     * after saying the senders are done; the victim is not waited for. If a receiver ends while
     * senders still run (it failed: receivers end only when told), the senders are stopped at once,
     * as nobody would take what they send.
     */
    void finishAll(List<Child> senders, List<Child> receivers, Child victim, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            boolean sending = senders.stream().anyMatch(c -> c != victim && c.isAlive());
            boolean receiverGone = receivers.stream().anyMatch(c -> c != victim && !c.isAlive());
            if (!sending || receiverGone) {
                break;
            }
            Child.sleep(20);
        }
        boolean receiverFailed = receivers.stream().anyMatch(c -> c != victim && !c.isAlive());
        for (Child s : senders) {
            if (s == victim) {
                continue;
            }
            if (receiverFailed && s.isAlive()) {
                s.close(); // stopped: its problem is the receiver's
            } else {
                finish(s, Duration.ofSeconds(1));
            }
        }
        sendersDone();
        for (Child r : receivers) {
            if (r != victim) {
                finish(r, Peers.CLOSE_DEADLINE.plusSeconds(30));
            }
        }
    }

    /** Kills {@code victim} with SIGKILL; a crash log would still count. */
    void kill(Child victim) {
        victim.kill();
        if (victim.crashed()) {
            problem(Kind.CRASH, victim + " crashed before it was killed: " + tail(victim));
        }
    }

    /** Tells the receivers that every sender is done. */
    void sendersDone() {
        try {
            Files.writeString(dir.resolve(Peers.SENDERS_DONE), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void problem(Kind kind, String detail) {
        problems.add(new Problem(kind, detail));
    }

    /** Adds the ledger's problems. */
    void account(Ledger.Accounts accounts) {
        this.accounts = accounts;
        if (accounts.lost() > 0) {
            problem(Kind.LOST, accounts.lost() + " message(s): " + accounts.examples());
        }
        if (accounts.torn() > 0) {
            problem(Kind.TORN, accounts.torn() + " message(s): " + accounts.examples());
        }
        if (accounts.duplicated() > 0) {
            problem(Kind.DUPLICATED, accounts.duplicated() + " message(s): " + accounts.examples());
        }
        if (accounts.phantoms() > 0 || accounts.uncommittedDelivered()) {
            problem(Kind.PHANTOM, accounts.examples().toString());
        }
    }

    /** Checks that no object whose name contains {@code name} is left in /dev/shm or /dev/mqueue. */
    void checkNothingLeft(String name) {
        String token = name.substring(1);
        for (String directory : List.of("/dev/shm", "/dev/mqueue")) {
            Path d = Path.of(directory);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(d)) {
                entries.filter(p -> p.getFileName().toString().contains(token))
                        .forEach(p -> problem(Kind.LEFTOVER, p + " remains after the survivors closed and unlinked"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static String tail(Child child) {
        List<String> lines = child.lines();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    @Override
    public void close() {
        for (Child child : children) {
            child.close();
        }
    }
}
