package io.portunus.config.jcfg;

import java.util.List;
import java.util.Objects;

/**
 * A libconfig list {@code ( a, b, ... )} or array {@code [ a, b, ... ]}.
 *
 * <p>Both are kept in one type because callers almost always just want "the items": Janus itself
 * iterates both the same way. The difference is preserved in {@link #isArray()}: arrays hold
 * scalars of a single type only (the parser enforces that), lists may mix anything, including groups.
 *
 * @param isArray true for {@code [ ]} arrays, false for {@code ( )} lists
 * @param items   the elements in file order (unmodifiable)
 * @param source  file the list comes from
 * @param line    1-based line of the opening bracket
 * @param column  1-based column of the opening bracket
 */
public record ConfigList(boolean isArray, List<ConfigValue> items, String source, int line, int column)
        implements ConfigValue {

    public ConfigList {
        items = List.copyOf(items);
        Objects.requireNonNull(source, "source");
    }

    public int size() {
        return items.size();
    }

    public ConfigValue get(int index) {
        return items.get(index);
    }
}
