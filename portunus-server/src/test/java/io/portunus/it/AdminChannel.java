package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.portunus.schema.Schemas;

import java.util.List;
import java.util.UUID;

/** The Admin API over one of its transports; every reply is checked against its JSON Schema and kept for later checks. */
interface AdminChannel extends AutoCloseable {
    JsonNode send(ObjectNode request) throws Exception;

    String name();

    @Override
    default void close() {
    }

    static AdminChannel http(TestServer server, List<String> seen) {
        HttpClientHelper http = new HttpClientHelper();
        return new AdminChannel() {
            @Override
            public JsonNode send(ObjectNode request) throws Exception {
                request.putIfAbsent("transaction", TextNode.valueOf(UUID.randomUUID().toString()));
                var reply = http.post(server.admin(), request.toString());
                seen.add(reply.body());
                JsonNode json = reply.json();
                Schemas.assertValidAdminReply(request.path("janus").asText(), json);
                return json;
            }

            @Override
            public String name() {
                return "HTTP";
            }
        };
    }

    static AdminChannel ws(TestServer server, List<String> seen) throws Exception {
        WsClientHelper ws = new WsClientHelper(server.adminWs(), "janus-admin-protocol");
        return new AdminChannel() {
            @Override
            public JsonNode send(ObjectNode request) throws Exception {
                request.putIfAbsent("transaction", TextNode.valueOf(UUID.randomUUID().toString()));
                ws.sendText(request.toString());
                JsonNode reply = ws.next(10);
                seen.add(reply.toString());
                Schemas.assertValidAdminReply(request.path("janus").asText(), reply);
                return reply;
            }

            @Override
            public String name() {
                return "WebSockets";
            }

            @Override
            public void close() {
                ws.close();
            }
        };
    }
}
