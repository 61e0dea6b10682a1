package io.portunus.config.jcfg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A libconfig group {@code { name = value; ... }}; the root of every parsed file is a group too.
 *
 * <p>Children keep file order. Setting names are unique within a group (the parser rejects
 * duplicates, as libconfig does) and case-sensitive.
 *
 * <p>The typed getters are deliberately lenient, mirroring how Janus reads its options: Janus
 * flattens every scalar into a string and then interprets it, so {@code port = 8088} and
 * {@code port = "8088"} mean the same, and booleans may be written {@code true}, {@code "yes"},
 * {@code "1"} and so on. Values that cannot be interpreted raise {@link ConfigTypeException}
 * naming the file, line and option rather than silently falling back to the default.
 *
 * <p>Instances are effectively immutable once the parser returns them.
 */
public final class ConfigGroup implements ConfigValue {
    private final String source;
    private final int line;
    private final int column;
    private final String path;
    private final Map<String, ConfigValue> children = new LinkedHashMap<>();

    /**
     * An empty root group, standing for "no configuration file": every getter returns its default.
     * Its {@link #source()} is {@code <none>} and its line 0.
     */
    public ConfigGroup() {
        this("<none>", 0, 0, "");
    }

    ConfigGroup(String source, int line, int column, String path) {
        this.source = source;
        this.line = line;
        this.column = column;
        this.path = path;
    }

    /** Adds a child; only the parser calls this, and it has already rejected duplicates. */
    void put(String name, ConfigValue value) {
        children.put(name, value);
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public int line() {
        return line;
    }

    @Override
    public int column() {
        return column;
    }

    /** Dotted path from the root, e.g. {@code general} or {@code multistream-test.media[1]}; empty for the root. */
    public String path() {
        return path;
    }

    /** Names of the direct children, in file order. */
    public List<String> names() {
        return List.copyOf(children.keySet());
    }

    public int size() {
        return children.size();
    }

    public boolean isEmpty() {
        return children.isEmpty();
    }

    /** The direct child called {@code name}, if any. */
    public Optional<ConfigValue> get(String name) {
        return Optional.ofNullable(children.get(name));
    }

    public boolean has(String name) {
        return children.containsKey(name);
    }

    /**
     * The child group {@code name}, or an empty group if there is none, so that
     * {@code root.group("nat").string("stun_server", null)} needs no null checks.
     *
     * @throws ConfigTypeException if {@code name} exists but is not a group
     */
    public ConfigGroup group(String name) {
        ConfigValue v = children.get(name);
        if (v == null) {
            return new ConfigGroup(source, line, column, qualify(name));
        }
        if (v instanceof ConfigGroup g) {
            return g;
        }
        throw typeError(name, v, "expected a group");
    }

    /**
     * The items of the list or array {@code name}; empty if absent.
     *
     * @throws ConfigTypeException if {@code name} is a scalar or a group
     */
    public List<ConfigValue> list(String name) {
        ConfigValue v = children.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof ConfigList l) {
            return l.items();
        }
        throw typeError(name, v, "expected a list or array");
    }

    /**
     * The option as a string: strings as written, numbers in decimal, booleans as
     * {@code true}/{@code false}; {@code def} if absent.
     *
     * @throws ConfigTypeException if the option is a group, list or array
     */
    public String string(String name, String def) {
        ConfigValue v = children.get(name);
        if (v == null) {
            return def;
        }
        return scalar(name, v, "expected a string").asText();
    }

    /**
     * The option as a 64-bit integer; {@code def} if absent. Accepts integers, floats with no
     * fractional part and strings holding a decimal (or {@code 0x} hex) integer, since Janus
     * configs often quote numbers ({@code port = "12201"}).
     *
     * @throws ConfigTypeException if the value is not convertible
     */
    public long integer(String name, long def) {
        ConfigValue v = children.get(name);
        if (v == null) {
            return def;
        }
        ConfigScalar s = scalar(name, v, "expected an integer");
        switch (s.value()) {
            case Long l -> {
                return l;
            }
            case Double d -> {
                if (d == Math.rint(d) && d >= Long.MIN_VALUE && d <= Long.MAX_VALUE) {
                    return d.longValue();
                }
            }
            case String str -> {
                Long parsed = parseInteger(str.trim());
                if (parsed != null) {
                    return parsed;
                }
            }
            default -> { }
        }
        throw typeError(name, v, "expected an integer");
    }

    private static Long parseInteger(String text) {
        try {
            String t = text.startsWith("+") ? text.substring(1) : text;
            boolean negative = t.startsWith("-");
            String digits = negative ? t.substring(1) : t;
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                long magnitude = Long.parseLong(digits.substring(2), 16);
                return negative ? -magnitude : magnitude;
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The option as a boolean; {@code def} if absent. True: {@code true}, {@code "true"},
     * {@code "yes"}, {@code "1"}, {@code 1}; false: {@code false}, {@code "false"}, {@code "no"},
     * {@code "0"}, {@code 0} (strings case-insensitive, surrounding blanks ignored).
     *
     * <p>Janus treats any unrecognised text as "not true"; we reject it instead, because a typo
     * such as {@code "ture"} silently disabling a feature is worse than a clear startup error.
     *
     * @throws ConfigTypeException for any other value
     */
    public boolean bool(String name, boolean def) {
        ConfigValue v = children.get(name);
        if (v == null) {
            return def;
        }
        ConfigScalar s = scalar(name, v, "expected a boolean");
        if (s.value() instanceof Boolean b) {
            return b;
        }
        if (!(s.value() instanceof Double)) {
            switch (s.asText().trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> {
                    return true;
                }
                case "false", "no", "0" -> {
                    return false;
                }
                default -> { }
            }
        }
        throw typeError(name, v, "expected a boolean (true/false, yes/no, 1/0)");
    }

    /**
     * The option as a list of strings; empty if absent. Accepts an array or list of scalars
     * ({@code ["a", "b"]}) or a single comma-separated string ({@code "a, b"}), the form most
     * Janus options use (e.g. {@code ice_ignore_list = "vmnet, tap"}). Items are trimmed and
     * empty items dropped when splitting a string; a single non-string scalar gives a
     * one-element list.
     *
     * @throws ConfigTypeException if the option is a group or a list containing non-scalars
     */
    public List<String> stringList(String name) {
        ConfigValue v = children.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof ConfigList l) {
            List<String> out = new ArrayList<>(l.size());
            for (ConfigValue item : l.items()) {
                if (!(item instanceof ConfigScalar s)) {
                    throw new ConfigTypeException(item.source(), item.line(), qualify(name),
                            "expected a list of strings, found a nested " + kind(item));
                }
                out.add(s.asText());
            }
            return Collections.unmodifiableList(out);
        }
        ConfigScalar s = scalar(name, v, "expected a string or a list of strings");
        if (!(s.value() instanceof String str)) {
            return List.of(s.asText());
        }
        List<String> out = new ArrayList<>();
        for (String part : str.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private ConfigScalar scalar(String name, ConfigValue v, String expectation) {
        if (v instanceof ConfigScalar s) {
            return s;
        }
        throw typeError(name, v, expectation);
    }

    private ConfigTypeException typeError(String name, ConfigValue v, String expectation) {
        String found = v instanceof ConfigScalar s ? s.describe() : kind(v);
        return new ConfigTypeException(v.source(), v.line(), qualify(name), expectation + ", found " + found);
    }

    private static String kind(ConfigValue v) {
        return switch (v) {
            case ConfigGroup g -> "group";
            case ConfigList l -> l.isArray() ? "array" : "list";
            case ConfigScalar s -> s.kind();
        };
    }

    private String qualify(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    @Override
    public String toString() {
        return "ConfigGroup[" + (path.isEmpty() ? "<root>" : path) + " at " + source + ":" + line
                + ", " + children.keySet() + "]";
    }
}
