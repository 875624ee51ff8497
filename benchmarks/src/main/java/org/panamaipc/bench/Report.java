package org.panamaipc.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats results: one line per case, a table with ratios, and JSON. */
final class Report {

    private Report() {
    }

    static String line(Bench.Result r) {
        if (r.mode().equals("idle")) {
            return String.format(Locale.ROOT, "%-22s idle          %8s%% of a CPU while waiting with nothing arriving",
                    r.transport(), r.values().get("cpu_percent"));
        }
        if (r.mode().startsWith("rtt")) {
            return String.format(Locale.ROOT, "%-22s " + r.mode() + "  %5d B  p50 %8.2f us  p99 %8.2f us  max %9.1f us  (cpus %s)",
                    r.transport(), r.size(), r.value("p50") / 1e3, r.value("p99") / 1e3, r.value("max") / 1e3,
                    r.values().get("cpus") + "/" + r.values().get("pong_cpus"));
        }
        return String.format(Locale.ROOT, "%-22s " + r.mode() + " %5d B  %,14.0f msg/s  (cpus %s)", r.transport(), r.size(),
                r.value("msgs_per_s"), r.values().get("cpus") + "/" + r.values().get("pong_cpus"));
    }

    /** The transports every figure is compared with: the C ring (the limit) and Agrona (the usual choice). */
    static final List<String> REFERENCES = List.of("c-ring", "agrona", "unix-socket");

    /**
     * A table per mode. Ratios compare with the references measured in the same run, for the same
     * size: round trip p50 / reference p50 (below 1 is faster), throughput / reference (above 1 is
     * faster): the median over the rounds of each round's ratio ({@link #pairedRatio}).
     */
    static String table(List<Bench.Result> results) {
        StringBuilder sb = new StringBuilder();
        List<String> modes = results.stream().map(Bench.Result::mode).filter(m -> !m.equals("idle")).distinct()
                .sorted((a, b) -> Boolean.compare(!a.startsWith("rtt"), !b.startsWith("rtt"))).toList();
        for (String mode : modes) {
            if (mode.startsWith("rtt")) {
                rttTable(sb, results, mode);
            } else {
                tputTable(sb, results, mode);
            }
        }
        sb.append("Idle receiver: CPU used while blocked in receive with nothing arriving\n");
        sb.append(String.format(Locale.ROOT, "%-22s %12s%n", "transport", "% of a CPU"));
        for (Bench.Result r : results) {
            if (r.mode().equals("idle")) {
                sb.append(String.format(Locale.ROOT, "%-22s %12s%n", r.transport(), r.values().get("cpu_percent")));
            }
        }
        sb.append("\nload: the 1-minute load average when the case started; above about 2.5 on 2 CPUs,"
                + " something else was running and the case's figures are suspect.\n");
        sb.append("spread: (largest - smallest) / median of the case's p50 or throughput over the rounds;"
                + " the row shows the median round; a ratio is the median of the rounds' ratios."
                + " Throughput is itself the median of timed iterations.\n");
        return sb.toString();
    }

    private static void rttTable(StringBuilder sb, List<Bench.Result> results, String mode) {
        sb.append("Round trip (" + mode + "), microseconds; ratios: p50 / the reference's p50 (lower is better)\n");
        sb.append(String.format(Locale.ROOT, "%-22s %5s %8s %8s %8s %8s %9s %5s %6s", "transport", "size", "p50", "p90",
                "p99", "p99.9", "max", "load", "spread"));
        for (String ref : REFERENCES) {
            sb.append(String.format(Locale.ROOT, " %9s", "/" + ref));
        }
        sb.append('\n');
        for (Bench.Result r : results) {
            if (!r.mode().equals(mode)) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-22s %5d %8.2f %8.2f %8.2f %8.2f %9.1f %5s %6s", r.transport(), r.size(),
                    r.value("p50") / 1e3, r.value("p90") / 1e3, r.value("p99") / 1e3, r.value("p999") / 1e3,
                    r.value("max") / 1e3, r.values().getOrDefault("load", "-"), r.values().getOrDefault("spread", "-")));
            for (String ref : REFERENCES) {
                sb.append(String.format(Locale.ROOT, " %9s", pairedRatio(results, r, ref, "p50")));
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    private static void tputTable(StringBuilder sb, List<Bench.Result> results, String mode) {
        sb.append("One-way throughput (" + mode + "), messages per second; ratios: / the reference's (higher is better)\n");
        sb.append(String.format(Locale.ROOT, "%-22s %5s %14s %5s %6s", "transport", "size", "msg/s", "load", "spread"));
        for (String ref : REFERENCES) {
            sb.append(String.format(Locale.ROOT, " %9s", "/" + ref));
        }
        sb.append('\n');
        for (Bench.Result r : results) {
            if (!r.mode().equals(mode)) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-22s %5d %,14.0f %5s %6s", r.transport(), r.size(), r.value("msgs_per_s"),
                    r.values().getOrDefault("load", "-"), r.values().getOrDefault("spread", "-")));
            for (String ref : REFERENCES) {
                sb.append(String.format(Locale.ROOT, " %9s", pairedRatio(results, r, ref, "msgs_per_s")));
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    private static String ratio(double value, double reference) {
        return Double.isNaN(reference) || Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value / reference);
    }

    /**
     * {@return the ratio of {@code r}'s key figure to the reference's for the same case} When both
     * were measured in the same rounds, the median over those rounds of each round's ratio (figures
     * taken seconds apart, see {@link Bench}); otherwise the ratio of the figures shown.
     */
    static String pairedRatio(List<Bench.Result> results, Bench.Result r, String ref, String key) {
        Bench.Result reference = find(results, ref, r.mode(), r.size());
        if (reference == null) {
            return "-";
        }
        Map<String, Double> mine = perRound(r);
        Map<String, Double> theirs = perRound(reference);
        List<Double> ratios = new java.util.ArrayList<>();
        for (Map.Entry<String, Double> e : mine.entrySet()) {
            Double other = theirs.get(e.getKey());
            if (other != null && other != 0) {
                ratios.add(e.getValue() / other);
            }
        }
        if (ratios.isEmpty()) {
            return ratio(r.value(key), reference.value(key));
        }
        java.util.Collections.sort(ratios);
        int n = ratios.size();
        double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
        return String.format(Locale.ROOT, "%.3f", median);
    }

    private static Map<String, Double> perRound(Bench.Result r) {
        Map<String, Double> figures = new java.util.LinkedHashMap<>();
        String rounds = r.values().get("rounds");
        if (rounds != null) {
            for (String pair : rounds.split(",")) {
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    figures.put(pair.substring(0, colon), Double.parseDouble(pair.substring(colon + 1)));
                }
            }
        }
        return figures;
    }

    private static Bench.Result find(List<Bench.Result> results, String transport, String mode, int size) {
        for (Bench.Result r : results) {
            if (r.transport().equals(transport) && r.mode().equals(mode) && r.size() == size) {
                return r;
            }
        }
        return null;
    }

    /** {@return the cases left out because a transport cannot carry the size, one per line, after a heading} */
    static String skipped(List<String> skipped) {
        if (skipped.isEmpty()) {
            return "";
        }
        return "\nNot measured (a transport that cannot carry the size):\n" + String.join("\n", skipped) + "\n";
    }

    static String json(List<Bench.Result> results, List<String> skipped, String cpu, boolean pinned) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"cpu\": \"").append(cpu.replace("\"", "'")).append("\",\n");
        sb.append("  \"skipped\": [");
        for (int i = 0; i < skipped.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(skipped.get(i).replace("\\", "\\\\").replace("\"", "'"))
                    .append('"');
        }
        sb.append("],\n");
        sb.append("  \"cpus\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        sb.append("  \"pinned\": ").append(pinned).append(",\n");
        sb.append("  \"java\": \"").append(System.getProperty("java.version")).append("\",\n");
        sb.append("  \"results\": [\n");
        for (int i = 0; i < results.size(); i++) {
            Bench.Result r = results.get(i);
            sb.append("    {\"transport\": \"").append(r.transport()).append("\", \"mode\": \"").append(r.mode())
                    .append("\", \"size\": ").append(r.size());
            for (Map.Entry<String, String> e : r.values().entrySet()) {
                if (e.getKey().equals("transport") || e.getKey().equals("mode") || e.getKey().equals("size")) {
                    continue;
                }
                String v = e.getValue();
                boolean number = v.matches("-?[0-9.]+");
                sb.append(", \"").append(e.getKey()).append("\": ").append(number ? v : "\"" + v + "\"");
            }
            sb.append(i + 1 < results.size() ? "},\n" : "}\n");
        }
        sb.append("  ]\n}\n");
        return sb.toString();
    }
}
