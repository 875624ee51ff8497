package org.panamaipc.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers, durations, times and bytes written for people, as every command prints them. */
final class Human {

    private static final boolean MICRO_SIGN_PRINTABLE =
            Charset.forName(System.getProperty("stdout.encoding", "UTF-8"), StandardCharsets.UTF_8)
                    .newEncoder().canEncode('µ');

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    private Human() {
    }

    /** {@return a size: {@code "96 B"}, {@code "4.0 KiB"}, {@code "1.0 MiB"}} */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@return a rate: {@code "0"}, {@code "12.5"}, {@code "1.2 k"}, {@code "3.4 M"}} */
    static String rate(double perSecond) {
        if (perSecond < 1000) {
            return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond)
                    : String.format(Locale.ROOT, "%.1f", perSecond);
        }
        if (perSecond < 1e6) {
            return String.format(Locale.ROOT, "%.1f k", perSecond / 1e3);
        }
        if (perSecond < 1e9) {
            return String.format(Locale.ROOT, "%.1f M", perSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f G", perSecond / 1e9);
    }

    /** {@return bytes per second: {@code "0 B/s"}, {@code "512 B/s"}, {@code "1.2 MiB/s"}} */
    static String byteRate(double perSecond) {
        return perSecond < 1024 ? Math.round(perSecond) + " B/s" : bytes(Math.round(perSecond)) + "/s";
    }

    /** {@return an elapsed time: {@code "48 µs"}, {@code "212.4 ms"}, {@code "3.2 s"}} */
    static String elapsed(long nanos) {
        if (nanos < 1_000_000) {
            return Math.max(0, nanos / 1_000) + (MICRO_SIGN_PRINTABLE ? " µs" : " us");
        }
        if (nanos < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** {@return a duration as a person would say it: {@code "500 ms"}, {@code "5 s"}, {@code "2 min"}} */
    static String duration(Duration duration) {
        if (duration.getSeconds() > 100L * 365 * 24 * 3600) {
            return "forever";
        }
        if (duration.toMillis() < 1000) {
            return duration.toMillis() + " ms";
        }
        if (duration.toSeconds() < 120 || duration.toSeconds() % 60 != 0) {
            return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
                    : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1e3);
        }
        return duration.toMinutes() + " min";
    }

    /** {@return a wall-clock time in this machine's zone: {@code "2025-11-28 15:53:07"}} */
    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** {@return a permission mode as {@code ls -l} shows it, with its octal value: {@code "rw------- (0600)"}} */
    static String mode(int mode) {
        String letters = "rwxrwxrwx";
        StringBuilder sb = new StringBuilder();
        for (int bit = 8; bit >= 0; bit--) {
            sb.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return sb + " (0" + Integer.toOctalString(mode & 0777) + ")";
    }

    /**
     * {@return {@code bytes} as text for a terminal} UTF-8, with control characters, invalid UTF-8
     * and backslashes written as escapes ({@code \n}, {@code \x00}, {@code \\}), so a message can
     * neither break a line nor move the cursor.
     */
    static String text(byte[] bytes) {
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                int c = b & 0xff;
                if (c >= 0x20 && c < 0x7f && c != '\\') {
                    sb.append((char) c);
                } else {
                    sb.append(String.format(Locale.ROOT, "\\x%02x", c));
                }
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder(decoded.length());
        decoded.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                        sb.append(c <= 0xff ? String.format(Locale.ROOT, "\\x%02x", c) : String.format(Locale.ROOT, "\\u%04x", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.toString();
    }
}
