package org.panamaipc.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panamaipc.process.ProcessId;
import org.panamaipc.sync.Futex;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * What a trivial call through the Foreign Function and Memory API costs, from no call at all to a
 * system call, with panama-ipc's public API next to plain JDK downcalls made here (benchmarks do
 * not use {@code org.panamaipc.bindings}; the JDK's {@link Linker} is not ours):
 *
 * <ul>
 * <li>{@link #processIdCurrent()}: {@code ProcessId.current()}, a cached value: no call.</li>
 * <li>{@link #labs()} / {@link #labsCritical()}: a downcall to libc's {@code labs}, which does not
 *     enter the kernel: the FFM transition alone (plain, and with {@code Linker.Option.critical(false)},
 *     which skips the thread-state transition).</li>
 * <li>{@link #getpid()} / {@link #getpidCritical()}: a downcall to {@code getpid}, one trivial
 *     system call (glibc no longer caches the pid).</li>
 * <li>{@link #syscallFutexWake()}: a plain downcall to {@code syscall(SYS_futex, word, FUTEX_WAKE, 1)},
 *     nobody waiting: the kernel's cost of a futex wake with the thinnest Java in front.</li>
 * <li>{@link #futexWake()}: {@code Futex.wake(1)}, nobody waiting: the same system call through
 *     panama-ipc (a critical downcall that captures errno into a per-thread segment).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class FfmCallBenchmark {

    /** {@code SYS_futex} on x86-64 ({@code <asm/unistd_64.h>}), the only platform panama-ipc binds. */
    private static final long SYS_FUTEX_X86_64 = 202;
    /** {@code FUTEX_WAKE} from {@code <linux/futex.h>}. */
    private static final int FUTEX_WAKE = 1;

    private static final Linker LINKER = Linker.nativeLinker();

    private static final FunctionDescriptor LABS = FunctionDescriptor.of(
            ValueLayout.JAVA_LONG,   // long (return)
            ValueLayout.JAVA_LONG);  // long j
    private static final MethodHandle LABS_PLAIN = downcall("labs", LABS);
    private static final MethodHandle LABS_CRITICAL = downcall("labs", LABS, Linker.Option.critical(false));

    private static final FunctionDescriptor GETPID = FunctionDescriptor.of(
            ValueLayout.JAVA_INT);   // pid_t (return)
    private static final MethodHandle GETPID_PLAIN = downcall("getpid", GETPID);
    private static final MethodHandle GETPID_CRITICAL = downcall("getpid", GETPID, Linker.Option.critical(false));

    private static final MethodHandle SYSCALL_FUTEX = downcall("syscall", FunctionDescriptor.of(
            ValueLayout.JAVA_LONG,   // long (return)
            ValueLayout.JAVA_LONG,   // long number: SYS_futex
            ValueLayout.ADDRESS,     // variadic: uint32_t *uaddr
            ValueLayout.JAVA_INT,    // variadic: int futex_op
            ValueLayout.JAVA_INT),   // variadic: uint32_t val (how many to wake)
            Linker.Option.firstVariadicArg(1));

    @SuppressWarnings("restricted") // a downcall; the forks run with --enable-native-access=ALL-UNNAMED
    private static MethodHandle downcall(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = LINKER.defaultLookup().find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    private Arena arena;
    private MemorySegment word;
    private Futex futex;
    private long argument = -42;

    @Setup(Level.Trial)
    public void setUp() {
        String arch = System.getProperty("os.arch");
        if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
            throw new IllegalStateException("SYS_futex=" + SYS_FUTEX_X86_64 + " is for x86-64, not " + arch);
        }
        arena = Arena.ofConfined();
        word = arena.allocate(ValueLayout.JAVA_INT);
        futex = Futex.of(word, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public ProcessId processIdCurrent() {
        return ProcessId.current();
    }

    @Benchmark
    public long labs() throws Throwable {
        return (long) LABS_PLAIN.invokeExact(argument);
    }

    @Benchmark
    public long labsCritical() throws Throwable {
        return (long) LABS_CRITICAL.invokeExact(argument);
    }

    @Benchmark
    public int getpid() throws Throwable {
        return (int) GETPID_PLAIN.invokeExact();
    }

    @Benchmark
    public int getpidCritical() throws Throwable {
        return (int) GETPID_CRITICAL.invokeExact();
    }

    @Benchmark
    public long syscallFutexWake() throws Throwable {
        return (long) SYSCALL_FUTEX.invokeExact(SYS_FUTEX_X86_64, word, FUTEX_WAKE, 1);
    }

    @Benchmark
    public int futexWake() {
        return futex.wake(1);
    }
}
