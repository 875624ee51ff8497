package org.panamaipc.attack.children.fuzz;

import org.panamaipc.channel.RingChannel;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A hostile-segment case on a synchronisation primitive in a segment of its own (mutex,
 * semaphore, event, latch): created and used a little (a mutex perhaps held by this thread), then
 * attacked, then used through the handle open during the attack and a fresh one; now and then
 * also opened as another kind of object.
 */
final class PrimitiveCase extends HostileCase {

    private static final Duration SHORT = Duration.ofMillis(10);
    private static final String[] KINDS = {"mutex", "semaphore", "event", "latch"};

    private final int kind;

    PrimitiveCase(long seed, int kind) {
        super(seed, KINDS[kind]);
        this.kind = kind;
        random.nextInt(10); // the pick that chose this target
    }

    @Override
    String target() {
        return KINDS[kind];
    }

    @Override
    void attack() {
        AutoCloseable existing = outcomes.call("create", this::create);
        if (existing == null) {
            return;
        }
        boolean held = existing instanceof IpcMutex m && random.nextInt(3) == 0 && m.tryLock();
        SharedMemory raw = SharedMemory.open(name);
        Mutator mutator = new Mutator(raw.segment(), random, new Mutator.Context(64, 0, 0,
                SegmentHeaderDescriptor.HEADER_SIZE, (int) ProcessHandle.current().pid()));
        List<Mutator.Field> fields = new ArrayList<>(Mutator.segmentHeader());
        fields.addAll(switch (kind) {
            case 0 -> Mutator.mutex();
            case 1 -> Mutator.semaphore();
            case 2 -> Mutator.event();
            default -> Mutator.latch();
        });
        boolean truncated = false;
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count && !truncated; i++) {
            int k = random.nextInt(100);
            if (k < 75) {
                mutations.add(mutator.field(fields.get(random.nextInt(fields.size()))));
            } else if (k < 90) {
                mutations.add(mutator.bytes());
            } else {
                if (held) {
                    outcomes.run("unlock (held)", ((IpcMutex) existing)::unlock);
                }
                long size = raw.size();
                close(target(), existing);
                close("raw", raw);
                truncate(size);
                truncated = true;
            }
        }
        if (!truncated) {
            use("existing", existing);
            if (held) {
                outcomes.run("unlock (held)", ((IpcMutex) existing)::unlock);
            }
            close(target(), existing);
            close("raw", raw);
        }
        AutoCloseable fresh = outcomes.call("open", this::open);
        if (fresh != null) {
            use("fresh", fresh);
            close("fresh " + target(), fresh);
        }
        if (random.nextInt(10) == 0) {
            AutoCloseable wrong = outcomes.call("open as another kind", this::openAsAnotherKind);
            close("another kind", wrong);
        }
    }

    private AutoCloseable create() {
        return switch (kind) {
            case 0 -> IpcMutex.create(name);
            case 1 -> IpcSemaphore.create(name, random.nextInt(0, 4));
            case 2 -> {
                IpcEvent e = IpcEvent.create(name, random.nextBoolean() ? IpcEvent.Type.AUTO_RESET : IpcEvent.Type.MANUAL_RESET);
                if (random.nextBoolean()) {
                    e.set();
                }
                yield e;
            }
            default -> IpcLatch.create(name, random.nextInt(0, 4));
        };
    }

    private AutoCloseable open() {
        return switch (kind) {
            case 0 -> IpcMutex.open(name);
            case 1 -> IpcSemaphore.open(name);
            case 2 -> IpcEvent.open(name);
            default -> IpcLatch.open(name);
        };
    }

    private AutoCloseable openAsAnotherKind() {
        return switch ((kind + 1 + random.nextInt(3)) % 5) {
            case 0 -> IpcMutex.open(name);
            case 1 -> IpcSemaphore.open(name);
            case 2 -> IpcEvent.open(name);
            case 3 -> IpcLatch.open(name);
            default -> RingChannel.open(name);
        };
    }

    private void use(String who, AutoCloseable primitive) {
        switch (primitive) {
            case IpcMutex m -> {
                outcomes.run(who + " tryLock", () -> {
                    if (m.tryLock()) {
                        outcomes.run(who + " ownerDied", m::ownerDied);
                        outcomes.run("unlock after tryLock", m::unlock);
                    }
                });
                outcomes.run(who + " lock(10ms)", () -> {
                    if (m.tryLock(SHORT)) {
                        outcomes.run("unlock after lock", m::unlock);
                    }
                });
                outcomes.run(who + " owner", m::owner);
                outcomes.run(who + " acquisitions", m::acquisitions);
                outcomes.run(who + " takeovers", m::takeovers);
                outcomes.run(who + " isHeldByCurrentThread", m::isHeldByCurrentThread);
                outcomes.run(who + " toString", m::toString);
            }
            case IpcSemaphore s -> {
                outcomes.run(who + " tryAcquire", () -> {
                    if (s.tryAcquire()) {
                        outcomes.run(who + " release", s::release);
                    }
                });
                outcomes.run(who + " tryAcquire(10ms)", () -> {
                    if (s.tryAcquire(SHORT)) {
                        outcomes.run(who + " release", s::release);
                    }
                });
                outcomes.run(who + " availablePermits", s::availablePermits);
                outcomes.run(who + " initialPermits", s::initialPermits);
                outcomes.run(who + " toString", s::toString);
            }
            case IpcEvent e -> {
                outcomes.run(who + " isSet", e::isSet);
                outcomes.run(who + " tryAwait", e::tryAwait);
                outcomes.run(who + " await(10ms)", () -> e.await(SHORT));
                outcomes.run(who + " set", e::set);
                outcomes.run(who + " await(10ms) after set", () -> e.await(SHORT));
                outcomes.run(who + " reset", e::reset);
                outcomes.run(who + " type", e::type);
                outcomes.run(who + " toString", e::toString);
            }
            case IpcLatch l -> {
                outcomes.run(who + " count", l::count);
                outcomes.run(who + " initialCount", l::initialCount);
                outcomes.run(who + " await(10ms)", () -> l.await(SHORT));
                outcomes.run(who + " countDown", l::countDown);
                outcomes.run(who + " toString", l::toString);
            }
            default -> outcomes.wrong(who, "unexpected primitive " + primitive);
        }
    }
}
