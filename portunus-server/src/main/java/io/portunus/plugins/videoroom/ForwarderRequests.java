package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpProfile;
import io.portunus.media.srtp.SrtpSession;
import io.portunus.net.RtpForwardIo;
import io.portunus.plugins.videoroom.Params.Param;
import io.portunus.plugins.videoroom.Params.Type;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code rtp_forward}, {@code stop_rtp_forward} and {@code listforwarders} (plugins.md §2.3), with
 * the checks in the order Janus 1.1.2 makes them and its texts (recorded against it): the request's
 * fields, the admin key when {@code lock_rtp_forward} is set, each stream's fields, the host
 * family, SRTP suite and the host's address, then the room, its secret and the publisher. Then
 * Portunus's own check, which Janus does not have: every destination must be inside
 * {@code rtp_forward_allow} (430 with the reason). Called holding the rooms lock.
 */
final class ForwarderRequests {
    /** Asks a publisher's stream (of a simulcast layer, or -1) for a key frame. */
    interface KeyFrames {
        void request(PublishedStream stream, int layer);
    }

    private static final Param[] FORWARD = {
            Param.optional("host_family", Type.STRING), Param.optional("streams", Type.ARRAY),
            Param.optional("srtp_suite", Type.POSITIVE_INTEGER), Param.optional("srtp_crypto", Type.STRING),
            Param.optional("audio_port", Type.POSITIVE_INTEGER), Param.optional("audio_rtcp_port", Type.POSITIVE_INTEGER),
            Param.optional("audio_pt", Type.POSITIVE_INTEGER), Param.optional("audio_ssrc", Type.POSITIVE_INTEGER),
            Param.optional("video_port", Type.POSITIVE_INTEGER), Param.optional("video_rtcp_port", Type.POSITIVE_INTEGER),
            Param.optional("video_pt", Type.POSITIVE_INTEGER), Param.optional("video_ssrc", Type.POSITIVE_INTEGER),
            Param.optional("video_port_2", Type.POSITIVE_INTEGER), Param.optional("video_pt_2", Type.POSITIVE_INTEGER),
            Param.optional("video_ssrc_2", Type.POSITIVE_INTEGER), Param.optional("video_port_3", Type.POSITIVE_INTEGER),
            Param.optional("video_pt_3", Type.POSITIVE_INTEGER), Param.optional("video_ssrc_3", Type.POSITIVE_INTEGER),
            Param.optional("data_port", Type.POSITIVE_INTEGER), Param.optional("secret", Type.STRING)};
    private static final Param[] STREAM = {
            Param.required("mid", Type.STRING), Param.optional("host", Type.STRING),
            Param.optional("host_family", Type.STRING), Param.required("port", Type.POSITIVE_INTEGER),
            Param.optional("rtcp_port", Type.POSITIVE_INTEGER), Param.optional("pt", Type.POSITIVE_INTEGER),
            Param.optional("ssrc", Type.POSITIVE_INTEGER), Param.optional("simulcast", Type.BOOLEAN),
            Param.optional("port_2", Type.POSITIVE_INTEGER), Param.optional("pt_2", Type.POSITIVE_INTEGER),
            Param.optional("ssrc_2", Type.POSITIVE_INTEGER), Param.optional("port_3", Type.POSITIVE_INTEGER),
            Param.optional("pt_3", Type.POSITIVE_INTEGER), Param.optional("ssrc_3", Type.POSITIVE_INTEGER)};
    private static final String[] LAYER_SUFFIX = {"", "_2", "_3"};

    /** One forwarder to make: a stream's mid, its layer (-1: no simulcast layer named), and where. */
    private record Plan(String mid, int layer, String host, InetSocketAddress target, int rtcpPort, int pt, long ssrc,
                        String legacyKind) {
    }

    private final VideoRoomConfig config;
    private final Rooms rooms;
    private final KeyFrames keyFrames;
    private volatile RtpForwardIo io;

    ForwarderRequests(VideoRoomConfig config, Rooms rooms, KeyFrames keyFrames) {
        this.config = config;
        this.rooms = rooms;
        this.keyFrames = keyFrames;
    }

    /** {@code rtp_forward}. */
    ObjectNode forward(JsonNode body, Outbox out) throws VideoRoomError {
        VideoRoomId roomId = VideoRoomId.read(body, "room", config.stringIds(), true);
        Params.check(body, "host", Type.STRING, true);
        VideoRoomId publisherId = VideoRoomId.read(body, "publisher_id", config.stringIds(), true);
        Params.check(body, FORWARD);
        checkAdminKey(body);
        JsonNode streams = body.get("streams");
        if (streams != null) {
            for (JsonNode s : streams) {
                Params.check(s, STREAM);
            }
        }
        String family = family(body.get("host_family"));
        SrtpKeys srtp = srtp(body);
        String host = body.get("host").asText();
        InetAddress address = resolve(host, family);
        checkAllowed(host, address);
        List<Plan> plans = new ArrayList<>();
        if (streams != null) {
            for (JsonNode s : streams) {
                plan(s, host, address, family, plans);
            }
        }
        Room room = rooms.require(roomId);
        Params.checkSecret(room.secret, body, "secret");
        Participant p = room.participants.get(publisherId);
        if (p == null) {
            throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such feed (" + publisherId + ")");
        }
        boolean legacy = streams == null;
        if (legacy) {
            legacyPlans(body, p, host, address, plans);
        }
        List<RtpForwarder> made = new ArrayList<>();
        List<Plan> kept = new ArrayList<>();
        for (Plan plan : plans) {
            RtpForwarder f = make(p, plan, srtp);
            if (f != null) {
                made.add(f);
                kept.add(plan);
                out.notice(null, event(f, p));
            }
        }
        ObjectNode reply = Json.object();
        p.id.put(reply, "publisher_id");
        if (legacy) {
            reply.set("rtp_stream", legacyAnswer(kept, made, host));
        } else {
            ArrayNode list = reply.putArray("forwarders");
            made.forEach(f -> list.add(f.describe()));
        }
        room.id.put(reply, "room");
        reply.put("videoroom", "rtp_forward");
        return reply;
    }

    /** {@code stop_rtp_forward}. */
    ObjectNode stop(JsonNode body, Outbox out) throws VideoRoomError {
        VideoRoomId roomId = VideoRoomId.read(body, "room", config.stringIds(), true);
        VideoRoomId publisherId = VideoRoomId.read(body, "publisher_id", config.stringIds(), true);
        Params.check(body, "stream_id", Type.POSITIVE_INTEGER, true);
        Params.check(body, "secret", Type.STRING, false);
        checkAdminKey(body);
        Room room = rooms.require(roomId);
        Params.checkSecret(room.secret, body, "secret");
        Participant p = room.participants.get(publisherId);
        if (p == null) {
            throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such feed (" + publisherId + ")");
        }
        long streamId = body.get("stream_id").asLong();
        RtpForwarder f = p.forwarders.remove(streamId);
        if (f == null) {
            throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such stream (" + streamId + ")");
        }
        f.source.removeForwarder(f);
        f.close();
        ObjectNode reply = Json.object();
        reply.put("videoroom", "stop_rtp_forward");
        room.id.put(reply, "room");
        p.id.put(reply, "publisher_id");
        reply.put("stream_id", streamId);
        ObjectNode notice = Json.object();
        notice.put("event", "stop_rtp_forward");
        room.id.put(notice, "room");
        p.id.put(notice, "publisher_id");
        notice.put("stream_id", streamId);
        out.notice(null, notice);
        return reply;
    }

    /** {@code listforwarders}: the publishers that have forwarders, each with them (and Portunus's counters). */
    ObjectNode list(JsonNode body) throws VideoRoomError {
        VideoRoomId id = VideoRoomId.read(body, "room", config.stringIds(), true);
        Room room = rooms.require(id);
        Params.checkSecret(room.secret, body, "secret");
        ObjectNode reply = Json.object();
        reply.put("videoroom", "forwarders");
        room.id.put(reply, "room");
        ArrayNode publishers = reply.putArray("publishers");
        for (Participant p : room.participants()) {
            if (p.forwarders.isEmpty()) {
                continue;
            }
            ObjectNode entry = publishers.addObject();
            p.id.put(entry, "publisher_id");
            if (p.display != null) {
                entry.put("display", p.display);
            }
            ArrayNode list = entry.putArray("forwarders");
            p.forwarders.values().forEach(f -> list.add(f.describeWithCounters()));
        }
        return reply;
    }

    /** Closes the forwarding thread (the plugin stops). */
    void close() {
        RtpForwardIo i = io;
        if (i != null) {
            i.close();
        }
    }

    private void checkAdminKey(JsonNode body) throws VideoRoomError {
        if (config.lockRtpForward() && config.adminKey() != null) {
            Params.checkSecret(config.adminKey(), body, "admin_key");
        }
    }

    private static String family(JsonNode v) throws VideoRoomError {
        if (v == null) {
            return null;
        }
        String f = v.asText();
        if (!f.equals("ipv4") && !f.equals("ipv6")) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Unsupported protocol family (" + f + ")");
        }
        return f;
    }

    /** The SRTP keys of {@code srtp_suite} (32 or 80) and {@code srtp_crypto} (base64 key and salt); null without both. */
    static SrtpKeys srtp(JsonNode body) throws VideoRoomError {
        JsonNode suite = body.get("srtp_suite");
        JsonNode crypto = body.get("srtp_crypto");
        if (suite == null) {
            return null;
        }
        SrtpProfile profile = switch (suite.asInt()) {
            case 32 -> SrtpProfile.AES128_CM_SHA1_32;
            case 80 -> SrtpProfile.AES128_CM_SHA1_80;
            default -> throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid SRTP suite (" + suite.asText() + ")");
        };
        if (crypto == null) {
            return null; // as Janus: a suite without a key forwards plain RTP
        }
        byte[] material;
        try {
            material = Base64.getDecoder().decode(crypto.asText());
        } catch (IllegalArgumentException e) {
            material = new byte[0];
        }
        int keyLength = profile.keyLength();
        if (material.length != keyLength + profile.saltLength()) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid SRTP crypto (base64 of "
                    + (keyLength + profile.saltLength()) + " bytes of key and salt expected)");
        }
        byte[] key = Arrays.copyOf(material, keyLength);
        byte[] salt = Arrays.copyOfRange(material, keyLength, material.length);
        return new SrtpKeys(profile, key, salt, key, salt);
    }

    /** The host's address of {@code family} (null: any); 430 with Janus's text when there is none. */
    static InetAddress resolve(String host, String family) throws VideoRoomError {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (family == null || family.equals("ipv4") == (a instanceof Inet4Address)
                        && family.equals("ipv6") == (a instanceof Inet6Address)) {
                    return a;
                }
            }
        } catch (UnknownHostException | SecurityException e) {
            // answered below
        }
        throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Could not resolve address (" + host + ")...");
    }

    private void checkAllowed(String host, InetAddress address) throws VideoRoomError {
        if (!config.forwardAllow().allows(address)) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Forwarding to " + host + " ("
                    + address.getHostAddress() + ") is not allowed: outside rtp_forward_allow ("
                    + config.forwardAllow() + ")");
        }
    }

    private static void checkPort(long port, String name) throws VideoRoomError {
        if (port < 1 || port > 65535) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid value (" + name + " should be 1-65535)");
        }
    }

    /** The forwarders one {@code streams} element asks for: its port, and port_2/port_3 for simulcast layers. */
    private void plan(JsonNode s, String host, InetAddress address, String family, List<Plan> plans)
            throws VideoRoomError {
        if (Boolean.TRUE.equals(Params.bool(s, "simulcast"))) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "simulcast: true (one switched stream) is not "
                    + "supported by Portunus: forward the layers with port, port_2 and port_3");
        }
        String streamHost = host;
        InetAddress streamAddress = address;
        if (s.has("host")) {
            streamHost = s.get("host").asText();
            String streamFamily = s.has("host_family") ? family(s.get("host_family")) : family;
            try {
                streamAddress = resolve(streamHost, streamFamily);
            } catch (VideoRoomError e) {
                return; // as Janus: a stream whose own host does not resolve is left out
            }
            checkAllowed(streamHost, streamAddress);
        }
        String mid = s.get("mid").asText();
        for (int layer = 0; layer < LAYER_SUFFIX.length; layer++) {
            String sfx = LAYER_SUFFIX[layer];
            if (!s.has("port" + sfx)) {
                continue;
            }
            long port = s.get("port" + sfx).asLong();
            checkPort(port, "port" + sfx);
            int rtcp = layer == 0 && s.has("rtcp_port") ? (int) s.get("rtcp_port").asLong() : 0;
            if (rtcp != 0) {
                checkPort(rtcp, "rtcp_port");
            }
            plans.add(new Plan(mid, s.has("port_2") || s.has("port_3") ? layer : -1, streamHost,
                    new InetSocketAddress(streamAddress, (int) port), rtcp, payloadType(s, "pt" + sfx),
                    s.has("ssrc" + sfx) ? s.get("ssrc" + sfx).asLong() & 0xffffffffL : -1, null));
        }
    }

    private static int payloadType(JsonNode s, String name) throws VideoRoomError {
        if (!s.has(name)) {
            return -1;
        }
        long pt = s.get(name).asLong();
        if (pt > 127) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid value (" + name + " should be 0-127)");
        }
        return (int) pt;
    }

    /** The deprecated form: {@code audio_port} and {@code video_port} (+ layers) for the first audio and video stream. */
    private void legacyPlans(JsonNode body, Participant p, String host, InetAddress address, List<Plan> plans)
            throws VideoRoomError {
        for (String kind : List.of("audio", "video")) {
            PublishedStream stream = p.streams.stream().filter(x -> x.video == kind.equals("video")).findFirst()
                    .orElse(null);
            for (int layer = 0; layer < (kind.equals("video") ? 3 : 1); layer++) {
                String sfx = LAYER_SUFFIX[layer];
                String port = kind + "_port" + sfx;
                if (!body.has(port) || stream == null) {
                    continue;
                }
                checkPort(body.get(port).asLong(), port);
                int rtcp = layer == 0 && body.has(kind + "_rtcp_port") ? (int) body.get(kind + "_rtcp_port").asLong() : 0;
                boolean layers = body.has("video_port_2") || body.has("video_port_3");
                plans.add(new Plan(stream.mid, kind.equals("video") && layers ? layer : -1, host,
                        new InetSocketAddress(address, (int) body.get(port).asLong()), rtcp,
                        payloadType(body, kind + "_pt" + sfx),
                        body.has(kind + "_ssrc" + sfx) ? body.get(kind + "_ssrc" + sfx).asLong() & 0xffffffffL : -1,
                        kind + sfx));
            }
        }
    }

    private static ObjectNode legacyAnswer(List<Plan> plans, List<RtpForwarder> made, String host) {
        ObjectNode s = Json.object();
        for (int i = 0; i < made.size(); i++) {
            String kind = plans.get(i).legacyKind();
            String base = kind.replaceAll("_\\d$", "");
            String sfx = kind.substring(base.length());
            s.put(base + "_stream_id" + sfx, made.get(i).streamId);
            s.put(kind, made.get(i).target.getPort());
        }
        s.put("warning", "deprecated_api");
        s.put("host", host);
        return s;
    }

    /** One forwarder of {@code p}; null when it has no stream of that mid (skipped, as Janus does). */
    private RtpForwarder make(Participant p, Plan plan, SrtpKeys keys) throws VideoRoomError {
        PublishedStream stream = p.stream(plan.mid());
        if (stream == null) {
            return null;
        }
        // A layer only means something for simulcast video: without it, all packets go to "port".
        int layer = stream.simulcast ? Math.max(plan.layer(), 0) : -1;
        if (!stream.simulcast && plan.layer() > 0) {
            return null;
        }
        long streamId;
        do {
            streamId = ThreadLocalRandom.current().nextLong(1, 1L << 32);
        } while (p.forwarders.containsKey(streamId));
        RtpForwardIo i = io();
        RtpForwarder f = new RtpForwarder(streamId, stream, layer, plan.host(), plan.target(), plan.pt(), plan.ssrc(),
                keys == null ? null : new SrtpSession(keys), i, stream.video ? plan.rtcpPort() : 0);
        try {
            i.prepare(plan.target().getAddress());
            f.openRtcp(() -> keyFrames.request(f.source, f.substream));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.close();
            throw new VideoRoomError(VideoRoomError.UNKNOWN_ERROR, "Interrupted while binding the forwarder's socket");
        }
        p.forwarders.put(streamId, f);
        stream.addForwarder(f);
        if (stream.video) {
            // The receiver starts decoding at a key frame: ask for one now, as for a new subscriber.
            keyFrames.request(stream, layer);
        }
        return f;
    }

    private RtpForwardIo io() {
        RtpForwardIo i = io;
        if (i == null) {
            i = new RtpForwardIo(RtpForwardIo.DEFAULT_QUEUE);
            io = i;
        }
        return i;
    }

    /** The event handlers' {@code rtp_forward} event: the forwarder as the reply has it, then the room, publisher, media, codec. */
    private static ObjectNode event(RtpForwarder f, Participant p) {
        ObjectNode e = f.describe();
        e.put("event", "rtp_forward");
        p.room.id.put(e, "room");
        p.id.put(e, "publisher_id");
        e.put("media", f.source.video ? "video" : "audio");
        e.put("codec", f.source.codecName);
        return e;
    }
}
