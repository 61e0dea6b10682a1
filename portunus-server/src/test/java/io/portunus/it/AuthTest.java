package io.portunus.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/** api_secret, stored tokens (managed over the Admin API) and admin_secret. */
class AuthTest {
    static TestServer server;
    static HttpClientHelper http = new HttpClientHelper();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("api_secret = \"s3cret\"\ntoken_auth = true\nadmin_secret = \"overlord\"");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private ObjectNode req(String janus) {
        ObjectNode o = Json.object();
        o.put("janus", janus);
        return o;
    }

    @Test
    void infoAndPingNeedNoSecret() throws Exception {
        assertThat(http.request(server.janus(), "info").path("janus").asText()).isEqualTo("server_info");
        assertThat(http.request(server.janus(), "info").path("api_secret").asBoolean()).isTrue();
        assertThat(http.request(server.janus(), "ping").path("janus").asText()).isEqualTo("pong");
    }

    @Test
    void wrongOrMissingSecretIs403() throws Exception {
        var missing = http.request(server.janus(), "create");
        assertThat(missing.path("error").path("code").asInt()).isEqualTo(403);
        assertThat(missing.path("error").path("reason").asText()).isEqualTo("Unauthorized request (wrong or missing secret/token)");
        ObjectNode wrong = req("create");
        wrong.put("apisecret", "nope");
        assertThat(http.request(server.janus(), wrong).path("error").path("code").asInt()).isEqualTo(403);
        ObjectNode badToken = req("create");
        badToken.put("token", "not-a-token");
        assertThat(http.request(server.janus(), badToken).path("error").path("code").asInt()).isEqualTo(403);
        ObjectNode right = req("create");
        right.put("apisecret", "s3cret");
        long session = http.request(server.janus(), right).path("data").path("id").asLong();
        assertThat(session).isPositive();
        // A session-level request needs it too, and an unauthorised long poll is HTTP 403.
        assertThat(http.request(server.janus() + "/" + session, "keepalive").path("error").path("code").asInt()).isEqualTo(403);
        assertThat(http.get(server.janus() + "/" + session).status()).isEqualTo(403);
        ObjectNode destroy = req("destroy");
        destroy.put("apisecret", "s3cret");
        assertThat(http.request(server.janus() + "/" + session, destroy).path("janus").asText()).isEqualTo("success");
    }

    @Test
    void webSocketRequestsAreCheckedTheSameWay() throws Exception {
        try (WsClientHelper ws = new WsClientHelper(server.ws(), "janus-protocol")) {
            for (String field : new String[] {"apisecret", "token"}) {
                ObjectNode bad = req("create");
                bad.put(field, "wrong");
                var reply = ws.request(bad);
                assertThat(reply.path("error").path("code").asInt()).as(field).isEqualTo(403);
                assertThat(reply.path("error").path("reason").asText()).isEqualTo("Unauthorized request (wrong or missing secret/token)");
            }
            ObjectNode good = req("create");
            good.put("apisecret", "s3cret");
            long session = ws.request(good).path("data").path("id").asLong();
            assertThat(session).isPositive();
            ObjectNode ka = req("keepalive");
            ka.put("session_id", session);
            assertThat(ws.request(ka).path("error").path("code").asInt()).isEqualTo(403);
            ka.put("apisecret", "s3cret");
            ka.remove("transaction");
            assertThat(ws.request(ka).path("janus").asText()).isEqualTo("ack");
        }
    }

    @Test
    void storedTokenGrantsOnlyItsPlugins() throws Exception {
        ObjectNode add = req("add_token");
        add.put("token", "tok-1");
        add.putArray("plugins").add("janus.plugin.echotest");
        assertThat(http.request(server.admin(), add).path("error").path("code").asInt()).as("admin_secret required").isEqualTo(403);
        add.put("admin_secret", "overlord");
        var added = http.request(server.admin(), add);
        assertThat(added.path("data").path("plugins").get(0).asText()).isEqualTo("janus.plugin.echotest");

        ObjectNode create = req("create");
        create.put("token", "tok-1");
        long session = http.request(server.janus(), create).path("data").path("id").asLong();
        assertThat(session).isPositive();
        ObjectNode attach = req("attach");
        attach.put("token", "tok-1");
        attach.put("plugin", "janus.plugin.echotest");
        assertThat(http.request(server.janus() + "/" + session, attach).path("janus").asText()).isEqualTo("success");

        ObjectNode disallow = req("disallow_token");
        disallow.put("admin_secret", "overlord");
        disallow.put("token", "tok-1");
        disallow.putArray("plugins").add("janus.plugin.echotest");
        assertThat(http.request(server.admin(), disallow).path("data").path("plugins")).isEmpty();
        ObjectNode attach2 = attach.deepCopy();
        attach2.remove("transaction");
        var refused = http.request(server.janus() + "/" + session, attach2);
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(405);
        assertThat(refused.path("error").path("reason").asText()).isEqualTo("Provided token can't access plugin 'janus.plugin.echotest'");

        ObjectNode remove = req("remove_token");
        remove.put("admin_secret", "overlord");
        remove.put("token", "tok-1");
        assertThat(http.request(server.admin(), remove).path("janus").asText()).isEqualTo("success");
        ObjectNode ka = req("keepalive");
        ka.put("token", "tok-1");
        assertThat(http.request(server.janus() + "/" + session, ka).path("error").path("code").asInt()).isEqualTo(403);
    }

    /** Signed tokens: {@code <expiry>,janus,<plugins>:<base64 HMAC-SHA1>}, checked as Janus does. */
    @Test
    void signedTokens() throws Exception {
        try (TestServer signed = new TestServer("token_auth = true\ntoken_auth_secret = \"hmac-key\"")) {
            long expiry = System.currentTimeMillis() / 1000 + 600;
            String good = sign(expiry + ",janus,janus.plugin.echotest", "hmac-key");
            String expired = sign((expiry - 1200) + ",janus,janus.plugin.echotest", "hmac-key");
            String forged = sign(expiry + ",janus,janus.plugin.echotest", "other-key");
            for (String bad : new String[] {expired, forged, "garbage"}) {
                ObjectNode c = req("create");
                c.put("token", bad);
                assertThat(http.request(signed.janus(), c).path("error").path("code").asInt()).as(bad).isEqualTo(403);
            }
            ObjectNode c = req("create");
            c.put("token", good);
            long session = http.request(signed.janus(), c).path("data").path("id").asLong();
            ObjectNode attach = req("attach");
            attach.put("token", good);
            attach.put("plugin", "janus.plugin.echotest");
            assertThat(http.request(signed.janus() + "/" + session, attach).path("janus").asText()).isEqualTo("success");
        }
    }

    private static String sign(String data, String key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return data + ":" + Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }
}
