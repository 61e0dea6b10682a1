package io.portunus.events;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.portunus.core.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * A handler's {@code json} option: {@code compact} (the default, the shared bytes as they are),
 * {@code indented} (3 spaces, as jansson's JSON_INDENT(3)) or {@code plain} (new lines, no
 * indentation). Only non-compact styles re-parse, on the handler's own thread.
 */
public enum JsonStyle {
    COMPACT, INDENTED, PLAIN;

    /** The style named {@code value}, or null when it names none (the caller warns and uses compact). */
    public static JsonStyle of(String value) {
        return switch (value == null ? "compact" : value.toLowerCase(Locale.ROOT)) {
            case "compact" -> COMPACT;
            case "indented" -> INDENTED;
            case "plain" -> PLAIN;
            default -> null;
        };
    }

    public byte[] format(byte[] compactJson) {
        if (this == COMPACT) {
            return compactJson;
        }
        try {
            return writer().writeValueAsBytes(Json.MAPPER.readTree(compactJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectWriter writer() {
        DefaultIndenter indenter = new DefaultIndenter(this == INDENTED ? "   " : "", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter).withArrayIndenter(indenter);
        return Json.MAPPER.writer(printer);
    }
}
