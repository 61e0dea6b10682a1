package io.portunus.config.jcfg;

/**
 * Writes a {@link ConfigGroup} back as jcfg text that {@link JcfgParser} reads to the same tree,
 * as Janus rewrites a plugin's file when a room is made permanent. Comments and {@code @include}s
 * are not kept (the tree has none); strings are quoted and escaped, numbers and booleans bare.
 */
public final class JcfgWriter {
    private JcfgWriter() {
    }

    /** The whole file: each top-level setting, groups as {@code name: { ... }}, a blank line between. */
    public static String write(ConfigGroup root) {
        StringBuilder out = new StringBuilder();
        for (String name : root.names()) {
            ConfigValue v = root.get(name).orElseThrow();
            setting(out, name, v, 0);
            out.append('\n');
        }
        return out.toString();
    }

    /** One top-level category, as {@link #write} writes it (without the blank line after it). */
    public static String writeSetting(String name, ConfigValue value) {
        StringBuilder out = new StringBuilder();
        setting(out, name, value, 0);
        return out.toString();
    }

    /** A string literal: quoted, with the escapes the parser reads. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static void setting(StringBuilder out, String name, ConfigValue v, int depth) {
        indent(out, depth);
        out.append(name);
        if (v instanceof ConfigGroup g) {
            out.append(": {\n");
            for (String child : g.names()) {
                setting(out, child, g.get(child).orElseThrow(), depth + 1);
            }
            indent(out, depth);
            out.append("}\n");
        } else {
            out.append(" = ");
            value(out, v, depth);
            out.append('\n');
        }
    }

    private static void value(StringBuilder out, ConfigValue v, int depth) {
        switch (v) {
            case ConfigScalar s -> out.append(scalar(s));
            case ConfigList l -> {
                out.append(l.isArray() ? "[ " : "( ");
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    value(out, l.get(i), depth + 1);
                }
                out.append(l.isArray() ? " ]" : " )");
            }
            case ConfigGroup g -> {
                out.append("{ ");
                for (String child : g.names()) {
                    out.append(child).append(" = ");
                    value(out, g.get(child).orElseThrow(), depth + 1);
                    out.append("; ");
                }
                out.append('}');
            }
        }
    }

    private static String scalar(ConfigScalar s) {
        return switch (s.value()) {
            case String str -> quote(str);
            case Double d -> {
                String text = Double.toString(d);
                yield text.contains(".") || text.contains("E") ? text : text + ".0";
            }
            default -> s.asText();
        };
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("\t".repeat(depth));
    }
}
