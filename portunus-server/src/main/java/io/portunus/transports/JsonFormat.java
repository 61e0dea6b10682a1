package io.portunus.transports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.portunus.core.Json;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code json} option of Janus's transports: {@code indented} (3 spaces, as Janus),
 * {@code plain} (one line with spaces) or {@code compact} (no spaces, the default).
 * {@code indented} and {@code plain} are written by {@link JanssonStyleWriter} in Janus's exact
 * layout, compact by Jackson: all three are a single pass over the reply tree.
 */
public enum JsonFormat {
    INDENTED(Json.MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("   ", "\n"))
            .withArrayIndenter(new DefaultIndenter("   ", "\n")))),
    PLAIN(Json.MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter(" ", ""))
            .withArrayIndenter(new DefaultIndenter(" ", "")))),
    COMPACT(Json.MAPPER.writer());

    private final ObjectWriter writer;

    JsonFormat(ObjectWriter writer) {
        this.writer = writer;
    }

    /** Parses the option; unknown values fall back to compact, as Janus warns and does. */
    public static JsonFormat of(String option) {
        if (option == null) {
            return COMPACT;
        }
        return switch (option.toLowerCase(Locale.ROOT)) {
            case "indented" -> INDENTED;
            case "plain" -> PLAIN;
            default -> COMPACT;
        };
    }

    public byte[] bytes(JsonNode node) {
        if (this == INDENTED) {
            return JanssonStyleWriter.write(node, 3);
        }
        if (this == PLAIN) {
            return JanssonStyleWriter.write(node, 0);
        }
        try {
            return writer.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    /** The reply in a buffer of {@code alloc}'s, for a Netty transport to write (see {@link JanssonStyleWriter}). */
    public ByteBuf buffer(JsonNode node, ByteBufAllocator alloc) {
        if (this == COMPACT) {
            return Unpooled.wrappedBuffer(bytes(node));
        }
        return JanssonStyleWriter.write(node, this == INDENTED ? 3 : 0, alloc);
    }

    public String text(JsonNode node) {
        if (this != COMPACT) {
            return new String(bytes(node), StandardCharsets.UTF_8);
        }
        try {
            return writer.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }
}
