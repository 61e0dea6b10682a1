package io.portunus.transports.nanomsg;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.JanusError;
import io.portunus.core.Json;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Splits one message of a message-oriented transport (Nanomsg, Unix sockets) into its JSON
 * requests, back to back, in order; text that is not JSON gets Janus's 454 error, as over
 * WebSockets.
 */
public final class JsonRequests {

    private JsonRequests() {
    }

    public static void dispatch(String payload, boolean admin, Consumer<JsonNode> request, Consumer<ObjectNode> error) {
        try (JsonParser parser = Json.MAPPER.createParser(payload)) {
            JsonNode node;
            boolean any = false;
            while ((node = Json.MAPPER.readTree(parser)) != null) {
                any = true;
                request.accept(node);
            }
            if (!any) {
                error.accept(Json.error(0, null, JanusError.INVALID_JSON.code(),
                        "Invalid " + (admin ? "Admin" : "Janus") + " API request - empty message"));
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : "<string>(" + loc.getLineNr() + "," + loc.getColumnNr() + "): ";
            error.accept(Json.error(0, null, JanusError.INVALID_JSON.code(),
                    "Invalid " + (admin ? "Admin" : "Janus") + " API request - " + where + e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            error.accept(Json.error(0, null, JanusError.INVALID_JSON.code(),
                    "Invalid " + (admin ? "Admin" : "Janus") + " API request"));
        }
    }
}
