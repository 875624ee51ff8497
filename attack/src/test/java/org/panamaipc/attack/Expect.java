package org.panamaipc.attack;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a bad-input case got (a value or an exception), and the checks of what it should have got.
 * A check that fails throws an {@link AssertionError} that says what was expected and what came.
 */
final class Expect {

    /** A call's outcome: its value, or what it threw. */
    record Outcome(Object value, Throwable thrown) {
        @Override
        public String toString() {
            return thrown != null ? "threw " + describe(thrown) : "returned " + value;
        }
    }

    /** The form of a helpful NullPointerException: the JVM's, not the library's. */
    private static final Pattern HELPFUL_NPE = Pattern.compile("^Cannot .* because .* is null$", Pattern.DOTALL);

    private Expect() {
    }

    /** {@return what {@code call} returned or threw (unwrapping reflection)} */
    static Outcome call(Callable<?> call) {
        try {
            return new Outcome(call.call(), null);
        } catch (InvocationTargetException e) {
            return new Outcome(null, e.getCause());
        } catch (Throwable t) {
            return new Outcome(null, t);
        }
    }

    /** Checks that {@code o} is an exception of {@code type} whose message contains every one of {@code parts}. */
    static void thrown(Outcome o, Class<? extends Throwable> type, String... parts) {
        if (o.thrown() == null || !type.isInstance(o.thrown())) {
            throw new AssertionError("expected " + type.getSimpleName() + mentioning(parts) + ", but it " + o);
        }
        String message = String.valueOf(o.thrown().getMessage());
        for (String part : parts) {
            if (!message.contains(part)) {
                throw new AssertionError("expected " + type.getSimpleName() + mentioning(parts) + ", but it " + o);
            }
        }
    }

    /** Checks that {@code o} is an exception of one of {@code types}. */
    @SafeVarargs
    static void thrownAnyOf(Outcome o, Class<? extends Throwable>... types) {
        for (Class<? extends Throwable> t : types) {
            if (t.isInstance(o.thrown())) {
                return;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Class<? extends Throwable> t : types) {
            names.append(names.isEmpty() ? "" : " or ").append(t.getSimpleName());
        }
        throw new AssertionError("expected " + names + ", but it " + o);
    }

    /**
     * Checks that {@code o} is a NullPointerException that names {@code parameter}: thrown by the
     * library's own check ({@code Objects.requireNonNull(x, "x")} or the like), not by the JVM
     * dereferencing the null somewhere inside.
     */
    static void nullNaming(Outcome o, String parameter) {
        if (!(o.thrown() instanceof NullPointerException npe)) {
            throw new AssertionError("expected NullPointerException naming \"" + parameter + "\", but it " + o);
        }
        String message = npe.getMessage();
        if (message == null || HELPFUL_NPE.matcher(message).matches()
                || !Pattern.compile("\\b" + Pattern.quote(parameter) + "\\b").matcher(message).find()) {
            throw new AssertionError("expected NullPointerException naming \"" + parameter + "\", but it " + o);
        }
    }

    /** Checks that {@code o} returned a value that {@code ok} accepts. */
    static void value(Outcome o, String what, Predicate<Object> ok) {
        if (o.thrown() != null || !ok.test(o.value())) {
            throw new AssertionError("expected " + what + ", but it " + o);
        }
    }

    /** Checks {@code condition}, failing with {@code what} otherwise. */
    static void that(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        StackTraceElement at = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
        return t.getClass().getName() + ": " + (m == null ? "null" : m.lines().findFirst().orElse(""))
                + (at != null ? " (at " + at + ")" : "");
    }

    private static String mentioning(String[] parts) {
        return parts.length == 0 ? "" : " mentioning " + String.join(", ", parts);
    }
}
