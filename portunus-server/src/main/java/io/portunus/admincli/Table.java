package io.portunus.admincli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell == null ? "-" : String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] width = new int[header.size()];
        boolean[] numeric = new boolean[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            boolean anyNumber = false;
            boolean allNumbers = true;
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
                anyNumber |= row.get(c).matches("-?[0-9.]+");
                allNumbers &= row.get(c).matches("-?[0-9.]+|-");
            }
            numeric[c] = anyNumber && allNumbers;
        }
        line(out, header, width, numeric);
        for (List<String> row : rows) {
            line(out, row, width, numeric);
        }
    }

    private static void line(PrintWriter out, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            b.append(numeric[c] ? pad + cell : cell + (c == width.length - 1 ? "" : pad));
            if (c < width.length - 1) {
                b.append("  ");
            }
        }
        out.println(b.toString().stripTrailing());
    }
}
