package io.portunus.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of {@link Plugin#handleMessage}: a synchronous reply, an acknowledgement with
 * the real answer to follow as an event, or an error (Janus API code 462 with the text).
 */
public sealed interface PluginResult {

    /** Synchronous answer: becomes {@code {"janus":"success",...,"plugindata":{...}}}. */
    record Ok(ObjectNode content) implements PluginResult {
    }

    /**
     * Asynchronous: the core replies {@code ack} (with {@code hint} when not null) and only
     * then runs {@code work}, so that the ack always reaches the client before the event the
     * work pushes with the same transaction.
     */
    record OkWait(String hint, Runnable work) implements PluginResult {
    }

    record Error(String text) implements PluginResult {
    }

    static PluginResult ok(ObjectNode content) {
        return new Ok(content);
    }

    static PluginResult okWait(String hint, Runnable work) {
        return new OkWait(hint, work);
    }

    static PluginResult error(String text) {
        return new Error(text);
    }
}
