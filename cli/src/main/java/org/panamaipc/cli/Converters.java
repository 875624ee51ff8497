package org.panamaipc.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the commands read names, sizes, durations and modes from the command line. */
final class Converters {

    private Converters() {
    }

    /**
     * A POSIX object name, with or without its leading slash ({@code orders} is {@code /orders}).
     * The rules the kernel applies are checked here, so a bad name is a usage error that says
     * which rule it breaks.
     */
    static final class Name implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return normalise(value);
        }

        static String normalise(String value) {
            String name = value.startsWith("/") ? value : "/" + value;
            String rest = name.substring(1);
            if (rest.isEmpty()) {
                throw new TypeConversionException("'" + value + "' is not a name: give one, such as /orders");
            }
            if (rest.indexOf('/') >= 0) {
                throw new TypeConversionException("'" + value + "' is not a name: only its first character may be '/'");
            }
            if (rest.equals(".") || rest.equals("..")) {
                throw new TypeConversionException("'" + value + "' is not a name");
            }
            if (rest.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new TypeConversionException("'" + value + "' is too long: at most 255 bytes after the '/'");
            }
            return name;
        }
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    /** A size in bytes: {@code 4096}, {@code 64K}, {@code 1M}, {@code 2GiB} (powers of 1024). */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.trim());
            if (!m.matches() || (m.group(2).isEmpty() && m.group(3).equalsIgnoreCase("i"))) {
                throw new TypeConversionException("'" + value + "' is not a size: give bytes (4096) or a number with"
                        + " K, M or G (64K, 1M)");
            }
            int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            try {
                long number = Long.parseLong(m.group(1));
                if (number > (Long.MAX_VALUE >> shift)) {
                    throw new NumberFormatException();
                }
                return number << shift;
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is too large a size");
            }
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|min|h)?",
            Pattern.CASE_INSENSITIVE);

    /**
     * A duration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, a number alone as seconds, or
     * ISO-8601 ({@code PT5S}).
     */
    static final class Time implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.trim();
            if (text.regionMatches(true, 0, "P", 0, 1)) {
                try {
                    return nonNegative(value, Duration.parse(text));
                } catch (DateTimeParseException e) {
                    throw bad(value);
                }
            }
            Matcher m = DURATION.matcher(text);
            if (!m.matches()) {
                throw bad(value);
            }
            double number = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            double nanos = number * switch (unit) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m", "min" -> 60e9;
                case "h" -> 3600e9;
                default -> throw bad(value);
            };
            if (nanos > Long.MAX_VALUE) {
                throw new TypeConversionException("'" + value + "' is too long a duration");
            }
            return Duration.ofNanos((long) nanos);
        }

        private static Duration nonNegative(String value, Duration duration) {
            if (duration.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative: give a duration of 0 or more");
            }
            return duration;
        }

        private static TypeConversionException bad(String value) {
            return new TypeConversionException("'" + value + "' is not a duration: give 500ms, 5s, 2m or 1h");
        }
    }

    /** A permission mode in octal: {@code 0600}, {@code 660}. */
    static final class Mode implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (!value.matches("0?[0-7]{3}")) {
                throw new TypeConversionException("'" + value + "' is not a mode: give octal permission bits, such as 0600");
            }
            return Integer.parseInt(value, 8);
        }
    }
}
