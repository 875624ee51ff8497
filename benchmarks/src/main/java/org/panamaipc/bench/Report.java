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
        if (r.mode().equals("rtt")) {
            return String.format(Locale.ROOT, "%-22s rtt  %5d B  p50 %8.2f us  p99 %8.2f us  max %9.1f us  (cpus %s)",
                    r.transport(), r.size(), r.value("p50") / 1e3, r.value("p99") / 1e3, r.value("max") / 1e3,
                    r.values().get("cpus") + "/" + r.values().get("pong_cpus"));
        }
        return String.format(Locale.ROOT, "%-22s tput %5d B  %,14.0f msg/s  (cpus %s)", r.transport(), r.size(),
                r.value("msgs_per_s"), r.values().get("cpus") + "/" + r.values().get("pong_cpus"));
    }

    /** A table per mode; ratios are against the Unix-domain socket measured in the same run. */
    static String table(List<Bench.Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("Round trip, microseconds (ratio: p50 / unix-socket p50 of the same size)\n");
        sb.append(String.format(Locale.ROOT, "%-22s %6s %9s %9s %9s %9s %10s %8s%n",
                "transport", "size", "p50", "p90", "p99", "p99.9", "max", "ratio"));
        for (Bench.Result r : results) {
            if (!r.mode().equals("rtt")) {
                continue;
            }
            double base = reference(results, "rtt", r.size(), "p50");
            sb.append(String.format(Locale.ROOT, "%-22s %6d %9.2f %9.2f %9.2f %9.2f %10.1f %8s%n", r.transport(), r.size(),
                    r.value("p50") / 1e3, r.value("p90") / 1e3, r.value("p99") / 1e3, r.value("p999") / 1e3,
                    r.value("max") / 1e3, Double.isNaN(base) ? "-" : String.format(Locale.ROOT, "%.3f", r.value("p50") / base)));
        }
        sb.append("\nOne-way throughput, messages per second (ratio: / unix-socket of the same size)\n");
        sb.append(String.format(Locale.ROOT, "%-22s %6s %14s %8s%n", "transport", "size", "msg/s", "ratio"));
        for (Bench.Result r : results) {
            if (!r.mode().equals("tput")) {
                continue;
            }
            double base = reference(results, "tput", r.size(), "msgs_per_s");
            sb.append(String.format(Locale.ROOT, "%-22s %6d %,14.0f %8s%n", r.transport(), r.size(), r.value("msgs_per_s"),
                    Double.isNaN(base) ? "-" : String.format(Locale.ROOT, "%.2f", r.value("msgs_per_s") / base)));
        }
        sb.append("\nIdle receiver: CPU used while blocked in receive with nothing arriving\n");
        sb.append(String.format(Locale.ROOT, "%-22s %12s%n", "transport", "% of a CPU"));
        for (Bench.Result r : results) {
            if (r.mode().equals("idle")) {
                sb.append(String.format(Locale.ROOT, "%-22s %12s%n", r.transport(), r.values().get("cpu_percent")));
            }
        }
        return sb.toString();
    }

    private static double reference(List<Bench.Result> results, String mode, int size, String key) {
        for (Bench.Result r : results) {
            if (r.transport().equals("unix-socket") && r.mode().equals(mode) && r.size() == size) {
                return r.value(key);
            }
        }
        return Double.NaN;
    }

    static String json(List<Bench.Result> results, String cpu, boolean pinned) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"cpu\": \"").append(cpu.replace("\"", "'")).append("\",\n");
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
