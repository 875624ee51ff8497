package org.panamaipc.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text under a heading, each column as wide as its widest cell, the last one left ragged;
 * columns listed in {@code rightAligned} (sizes, counts) are aligned right.
 */
final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;

    /** A table with these column headings. */
    Table(String... headings) {
        rows.add(headings);
        right = new boolean[headings.length];
    }

    /** Aligns columns {@code columns} (from 0) to the right. */
    Table alignRight(int... columns) {
        for (int column : columns) {
            right[column] = true;
        }
        return this;
    }

    /** Adds a row; it must have a cell per heading. */
    void add(String... cells) {
        if (cells.length != right.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + right.length + " columns");
        }
        rows.add(cells);
    }

    /** {@return the rows added, the heading left out} */
    int size() {
        return rows.size() - 1;
    }

    void print(PrintWriter out) {
        int[] widths = new int[right.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean last = i == row.length - 1;
                String cell = row[i];
                String padding = " ".repeat(widths[i] - cell.length());
                if (right[i]) {
                    line.append(padding).append(cell);
                } else {
                    line.append(cell).append(last ? "" : padding);
                }
                if (!last) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
