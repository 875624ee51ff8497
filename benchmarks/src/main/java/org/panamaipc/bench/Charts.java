package org.panamaipc.bench;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws the results with JFreeChart: round-trip percentiles per transport on a logarithmic axis,
 * and throughput per transport, each as a PNG.
 */
final class Charts {

    private static final int WIDTH = 1400;
    private static final int HEIGHT = 750;

    private Charts() {
    }

    /** Writes {@code latency.png} and {@code throughput.png} into {@code out}. */
    static void write(List<Bench.Result> results, Path out, String machine) throws IOException {
        System.setProperty("java.awt.headless", "true");
        ChartUtils.saveChartAsPNG(out.resolve("latency.png").toFile(), latency(results, machine), WIDTH, HEIGHT);
        ChartUtils.saveChartAsPNG(out.resolve("throughput.png").toFile(), throughput(results, machine), WIDTH, HEIGHT);
    }

    private static JFreeChart latency(List<Bench.Result> results, String machine) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Bench.Result r : results) {
            if (!r.mode().equals("rtt")) {
                continue;
            }
            String category = r.transport() + " " + r.size() + " B";
            data.addValue(r.value("p50") / 1e3, "p50", category);
            data.addValue(r.value("p90") / 1e3, "p90", category);
            data.addValue(r.value("p99") / 1e3, "p99", category);
            data.addValue(r.value("p999") / 1e3, "p99.9", category);
        }
        LogAxis axis = new LogAxis("round trip, microseconds (log scale)");
        axis.setBase(10);
        axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0)); // one tick per decade
        axis.setSmallestValue(0.05);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.##"));
        return chart("Round-trip latency between two JVMs", machine, data, axis);
    }

    private static JFreeChart throughput(List<Bench.Result> results, String machine) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Bench.Result r : results) {
            if (r.mode().equals("tput")) {
                data.addValue(r.value("msgs_per_s") / 1e6, r.size() + " B", r.transport());
            }
        }
        NumberAxis axis = new NumberAxis("one-way throughput, million messages per second");
        return chart("One-way throughput between two JVMs", machine, data, axis);
    }

    private static JFreeChart chart(String title, String machine, DefaultCategoryDataset data,
                                    org.jfree.chart.axis.ValueAxis valueAxis) {
        CategoryAxis categories = new CategoryAxis();
        categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        categories.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        CategoryPlot plot = new CategoryPlot(data, categories, valueAxis, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
        chart.addSubtitle(new TextTitle(machine, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
