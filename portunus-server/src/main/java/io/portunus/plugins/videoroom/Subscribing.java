package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.ForwardedLeg;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.media.rtp.ExtensionIds;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.Extmap;
import io.portunus.media.sdp.LocalMedia;
import io.portunus.media.sdp.SendOffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Subscribers (plugins.md §2.4): {@code join} with ptype {@code subscriber}, either the
 * multistream {@code streams} list ({@code feed} and optional {@code mid} each) or the legacy
 * {@code feed}, gets the {@code attached} event with our offer: one leg per publisher stream,
 * mids {@code 0, 1, ...} of its own and header-extension ids of this offer; {@code start} with
 * the client's answer completes it ({@code started}).
 */
final class Subscribing {
    /**
     * The header extensions a subscriber is offered, with the ids of every subscriber offer (one
     * id per URI across the bundle, RFC 8843 §9.2; Janus 1.1.2's ids). The publisher's ids are mapped to these per
     * leg; mid, rid and transport-wide sequence numbers are not forwarded (the legs are told apart
     * by SSRC, and transport-cc would need our own sequence numbers).
     */
    static final Map<String, Integer> OFFERED_EXTENSIONS = Map.of(
            AnswerOptions.AUDIO_LEVEL, 1,
            AnswerOptions.PLAYOUT_DELAY, 12,
            AnswerOptions.VIDEO_ORIENTATION, 13);
    /**
     * Transport-wide sequence numbers, offered on video legs when the room has
     * transport_wide_cc_ext (Janus 1.1.2's id and m-lines): the core numbers what it sends on
     * them, per PeerConnection; a publisher's own number, if any, is overwritten on the leg's copy.
     */
    static final int TRANSPORT_CC_ID = 3;
    private static final List<String> VIDEO_FEEDBACK = List.of("ccm fir", "nack", "nack pli", "goog-remb");
    private static final List<String> VIDEO_FEEDBACK_TWCC = List.of("ccm fir", "nack", "nack pli", "goog-remb",
            "transport-cc");

    private final VideoRoomConfig config;
    private final Rooms rooms;

    Subscribing(VideoRoomConfig config, Rooms rooms) {
        this.config = config;
        this.rooms = rooms;
    }

    /** What a subscriber's join settled under the rooms lock; the offer is made after it. */
    record Plan(Subscription subscription, Participant legacyFeed) {
    }

    /** The legs a join asks for, checked against the room's publishers. Call holding the rooms lock. */
    Plan plan(JsonNode body, Room room, PluginHandle handle) throws VideoRoomError {
        List<PublishedStream> wanted = new ArrayList<>();
        Participant legacy = null;
        JsonNode streams = body.get("streams");
        if (streams != null) {
            wanted.addAll(wanted(room, streams));
        } else {
            legacy = publisher(room, VideoRoomId.read(body, "feed", config.stringIds(), true));
            wanted.addAll(legacy.streams);
        }
        List<SubscriberLeg> legs = new ArrayList<>();
        for (PublishedStream s : wanted) {
            int index = legs.size();
            legs.add(new SubscriberLeg(handle, Integer.toString(index), index, s));
        }
        if (streams != null) {
            // A streams entry may name the simulcast layers its legs start with (Janus 1.x).
            int index = 0;
            for (JsonNode s : streams) {
                Layers layers = Layers.read(s);
                String mid = s.hasNonNull("mid") ? s.get("mid").asText() : null;
                Participant feed = publisher(room, VideoRoomId.read(s, "feed", config.stringIds(), true));
                boolean dataOnly = mid != null && feed.data != null && mid.equals(feed.data.mid); // no leg for it
                int count = mid == null ? feed.streams.size() : dataOnly ? 0 : 1;
                for (int i = 0; i < count && index < legs.size(); i++, index++) {
                    layers.applyTo(legs.get(index));
                }
            }
        } else {
            Layers layers = Layers.read(body);
            legs.forEach(layers::applyTo);
        }
        // One data m-line after the legs for every publisher whose data is asked for (Janus 1.1.2: a
        // feed without a mid brings its data too).
        List<PublishedData> data = streams != null ? wantedData(room, streams)
                : legacy.data != null ? List.of(legacy.data) : List.of();
        DataLeg dataLeg = null;
        if (!data.isEmpty()) {
            dataLeg = new DataLeg(handle, Integer.toString(legs.size()), legs.size());
            data.forEach(dataLeg::addSource);
        }
        return new Plan(new Subscription(room, ThreadLocalRandom.current().nextLong(1, 1L << 32), legs, dataLeg),
                legacy);
    }

    /**
     * The publishers' data a {@code streams} list asks for: a {@code feed} without {@code mid}
     * (all its streams) or with its data m-line's mid. Call holding the rooms lock.
     */
    List<PublishedData> wantedData(Room room, JsonNode streams) throws VideoRoomError {
        List<PublishedData> wanted = new ArrayList<>();
        for (JsonNode s : streams) {
            Participant feed = publisher(room, VideoRoomId.read(s, "feed", config.stringIds(), true));
            String mid = s.hasNonNull("mid") ? s.get("mid").asText() : null;
            PublishedData d = feed.data;
            if (d != null && (mid == null || mid.equals(d.mid)) && !wanted.contains(d)) {
                wanted.add(d);
            }
        }
        return wanted;
    }

    /**
     * The publisher streams a {@code streams} list names ({@code feed}, and {@code mid} for one of
     * its streams, else all), in order. Call holding the rooms lock.
     */
    List<PublishedStream> wanted(Room room, JsonNode streams) throws VideoRoomError {
        if (!streams.isArray()) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid element type (streams should be a non-empty array)");
        }
        if (streams.isEmpty()) {
            throw Params.missing("feed"); // as Janus 1.1.2: an empty list asks for no feed
        }
        List<PublishedStream> wanted = new ArrayList<>();
        for (JsonNode s : streams) {
            Participant feed = publisher(room, VideoRoomId.read(s, "feed", config.stringIds(), true));
            String mid = s.hasNonNull("mid") ? s.get("mid").asText() : null;
            if (mid == null) {
                wanted.addAll(feed.streams);
            } else if (feed.data == null || !mid.equals(feed.data.mid)) { // its data: wantedData
                PublishedStream one = feed.stream(mid);
                if (one == null) {
                    throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such mid '" + mid + "' in feed ("
                            + feed.id + ")");
                }
                wanted.add(one);
            }
        }
        return wanted;
    }

    private static Participant publisher(Room room, VideoRoomId id) throws VideoRoomError {
        Participant p = room.participants.get(id);
        if (p == null || !p.publishing || p.streams.isEmpty()) {
            throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such feed (" + id + ")");
        }
        return p;
    }

    /** Our offer for the planned legs, in the {@code attached} event (Janus 1.x shape). */
    void offer(PluginContext ctx, Plan plan, PluginHandle handle, String transaction, Outbox out) throws VideoRoomError {
        Subscription sub = plan.subscription();
        ObjectNode jsep = writeOffer(ctx, handle, sub);
        ObjectNode attached = Json.object();
        attached.put("videoroom", "attached");
        sub.room.id.put(attached, "room");
        ArrayNode streams = attached.putArray("streams");
        sub.describeStreams(streams);
        Participant legacy = plan.legacyFeed();
        if (legacy != null) {
            legacy.id.put(attached, "id");
            if (legacy.display != null) {
                attached.put("display", legacy.display);
            }
            attached.put("warning", "deprecated_api");
        }
        out.reply(handle, transaction, attached, jsep);
        out.notice(handle, notice("subscribing", sub));
    }

    /**
     * The plugin event (type 64) of a subscription's offer: {@code subscribing} for the first,
     * {@code updated} for a new one; the streams as in the events, as Janus 1.1.2 sends them.
     */
    static ObjectNode notice(String event, Subscription sub) {
        ObjectNode notice = Json.object();
        notice.put("event", event);
        sub.room.id.put(notice, "room");
        ArrayNode streams = notice.putArray("streams");
        sub.describeStreams(streams);
        notice.put("private_id", sub.privateId);
        return notice;
    }

    /** A plugin event with only the room: {@code subscribed}, {@code switched} (Janus 1.1.2). */
    private static ObjectNode roomNotice(String event, Subscription sub) {
        ObjectNode notice = Json.object();
        notice.put("event", event);
        sub.room.id.put(notice, "room");
        return notice;
    }

    /**
     * {@code switch} (plugins.md §2.4): legs of this subscription change publisher without a
     * renegotiation, {@code streams: [{feed, mid, sub_mid}]}; each new source must be of the
     * leg's kind and codec. Answers {@code switched: "ok"} with the number of changes and the
     * streams; the core's rewriting keeps each leg continuous, and the new sources are asked for
     * a key frame. Returns the legs that changed. A leg that was unsubscribed takes the new
     * source as a {@code subscribe} would: a new offer in an {@code updated} event (as Janus
     * 1.1.2), its key frame asked for when the answer is in.
     */
    List<SubscriberLeg> switchLegs(PluginContext ctx, JsonNode body, PluginHandle handle, Subscription sub,
                                   String transaction, Outbox out) throws VideoRoomError {
        JsonNode streams = body.get("streams");
        if (streams == null) {
            throw Params.missing("streams");
        }
        if (!streams.isArray()) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid element type (streams should be a non-empty array)");
        }
        if (streams.isEmpty()) {
            throw Params.missing("feed"); // as Janus 1.1.2: an empty list asks for no feed
        }
        List<SubscriberLeg> legs = new ArrayList<>();
        List<PublishedStream> sources = new ArrayList<>();
        synchronized (rooms) {
            for (JsonNode s : streams) {
                Participant feed = publisher(sub.room, VideoRoomId.read(s, "feed", config.stringIds(), true));
                Params.check(s, "mid", Params.Type.STRING, true);
                Params.check(s, "sub_mid", Params.Type.STRING, true);
                PublishedStream source = feed.stream(s.get("mid").asText());
                if (source == null) {
                    throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such mid '" + s.get("mid").asText()
                            + "' in feed " + feed.id);
                }
                SubscriberLeg leg = sub.leg(s.get("sub_mid").asText());
                if (leg == null) {
                    throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such subscription stream ("
                            + s.get("sub_mid").asText() + ")");
                }
                PublishedStream now = leg.source();
                if (now.video != source.video || !now.codecName.equals(source.codecName)) {
                    throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Can't switch stream " + leg.mid()
                            + ": different type or codec");
                }
                legs.add(leg);
                sources.add(source);
            }
        }
        int changes = 0;
        boolean revived = false;
        List<SubscriberLeg> switchedLegs = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            SubscriberLeg leg = legs.get(i);
            PublishedStream to = sources.get(i);
            if (leg.isRemoved()) {
                sub.revive(leg, to);
                revived = true;
                continue;
            }
            if (leg.source() == to) {
                continue;
            }
            switchedLegs.add(leg);
            ctx.forwardedLeg(handle, forwardedLeg(leg.mid(), to));
            sub.switchSource(leg, to);
            changes++;
        }
        out.notice(handle, roomNotice("switched", sub));
        if (revived) {
            ObjectNode jsep = writeOffer(ctx, handle, sub);
            sub.offered();
            ObjectNode updated = Json.object();
            updated.put("videoroom", "updated");
            sub.room.id.put(updated, "room");
            ArrayNode list = updated.putArray("streams");
            sub.describeStreams(list);
            out.reply(handle, transaction, updated, jsep);
            out.notice(handle, notice("updated", sub));
            return switchedLegs;
        }
        ObjectNode switched = Subscription.event(sub.room);
        switched.put("switched", "ok");
        switched.put("changes", changes);
        ArrayNode list = switched.putArray("streams");
        sub.describeStreams(list);
        out.reply(handle, transaction, switched);
        return switchedLegs;
    }

    /**
     * A subscriber's {@code configure}: the simulcast layers of its legs, per mid in the
     * multistream {@code streams} form ({@code [{mid, substream?, temporal?, fallback?}]}) or at the
     * top level (legacy: with {@code mid} for that leg, else every video leg). A change takes
     * effect on the new layer's next key frame, told with a {@code substream} / {@code temporal}
     * event. The reply comes from {@code SubscriberControls.configure}, which does the rest.
     */
    void configureLayers(JsonNode body, Subscription sub) throws VideoRoomError {
        JsonNode streams = body.get("streams");
        List<SubscriberLeg> legs = new ArrayList<>();
        List<Layers> wanted = new ArrayList<>();
        if (streams != null) {
            if (!streams.isArray()) {
                throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid element type (streams should be an array)");
            }
            for (JsonNode s : streams) {
                Params.check(s, "mid", Params.Type.STRING, false);
                if (!s.has("mid")) {
                    continue; // as Janus 1.1.2: an entry without a mid changes nothing
                }
                SubscriberLeg leg = leg(sub, s.get("mid").asText());
                legs.add(leg);
                wanted.add(Layers.read(s));
            }
        } else {
            Params.check(body, "mid", Params.Type.STRING, false);
            Layers layers = Layers.read(body);
            if (body.has("mid")) {
                legs.add(leg(sub, body.get("mid").asText()));
                wanted.add(layers);
            } else {
                for (SubscriberLeg leg : sub.legs()) {
                    if (leg.source().video) {
                        legs.add(leg);
                        wanted.add(layers);
                    }
                }
            }
        }
        for (int i = 0; i < legs.size(); i++) {
            wanted.get(i).applyTo(legs.get(i));
        }
    }

    private static SubscriberLeg leg(Subscription sub, String mid) throws VideoRoomError {
        SubscriberLeg leg = sub.leg(mid);
        if (leg == null) {
            throw new VideoRoomError(VideoRoomError.NO_SUCH_FEED, "No such mid '" + mid + "' in subscription");
        }
        return leg;
    }

    /**
     * The simulcast targets a request names (each optional), checked as Janus 1.1.2 answers
     * (430 for a value above 2 or a negative one; Janus takes a string {@code substream} for 0,
     * we answer 430 for it as for {@code temporal}).
     */
    record Layers(Integer substream, Integer temporal, Long fallback) {
        static Layers read(JsonNode body) throws VideoRoomError {
            Params.check(body, "substream", Params.Type.POSITIVE_INTEGER, false);
            Params.check(body, "temporal", Params.Type.POSITIVE_INTEGER, false);
            Params.check(body, "fallback", Params.Type.POSITIVE_INTEGER, false);
            Long substream = Params.number(body, "substream");
            Long temporal = Params.number(body, "temporal");
            if (substream != null && substream > 2) {
                throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid value (substream/spatial_layer should be 0, 1 or 2)");
            }
            if (temporal != null && temporal > 2) {
                throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid value (temporal/temporal_layer should be 0, 1 or 2)");
            }
            return new Layers(substream == null ? null : (int) Math.min(substream, Integer.MAX_VALUE),
                    temporal == null ? null : (int) Math.min(temporal, Integer.MAX_VALUE), Params.number(body, "fallback"));
        }

        void applyTo(SubscriberLeg leg) {
            if (substream != null || temporal != null || fallback != null) {
                leg.layers(substream, temporal, fallback);
            }
        }
    }

    /** The core's part of a leg: its mid, kind, and the source's header-extension ids mapped to the offer's. */
    static ForwardedLeg forwardedLeg(String mid, PublishedStream src) {
        int[] ids = new int[ExtensionIds.MAX_ID + 1];
        for (Extmap e : src.extmaps) {
            Integer ours = OFFERED_EXTENSIONS.get(e.uri());
            if (offersTransportCc(src) && e.uri().equals(AnswerOptions.TRANSPORT_CC)) {
                ours = TRANSPORT_CC_ID; // kept in place, the number overwritten by the core
            }
            if (ours != null && e.id() <= ExtensionIds.MAX_ID) {
                ids[e.id()] = ours;
            }
        }
        return new ForwardedLeg(mid, src.video, ids);
    }

    /** Whether a leg forwarding {@code src} is offered transport-cc: video, in a room with transport_wide_cc_ext. */
    private static boolean offersTransportCc(PublishedStream src) {
        return src.video && src.publisher.room.transportWideCcExt;
    }

    /**
     * The offer for the subscription's legs as they are now: a leg whose publisher stopped
     * publishing is {@code inactive}. Sets up (or keeps) the handle's PeerConnection.
     */
    static ObjectNode writeOffer(PluginContext ctx, PluginHandle handle, Subscription sub) throws VideoRoomError {
        return writeOffer(ctx, handle, sub, false);
    }

    /** The same, with new ICE credentials when {@code restartIce} (an ICE restart, RFC 8445 §9). */
    static ObjectNode writeOffer(PluginContext ctx, PluginHandle handle, Subscription sub, boolean restartIce)
            throws VideoRoomError {
        List<ForwardedLeg> forwarded = new ArrayList<>();
        List<SendOffer.Leg> offered = new ArrayList<>();
        for (SubscriberLeg leg : sub.legs()) {
            PublishedStream src = leg.source();
            List<Extmap> extmaps = new ArrayList<>();
            for (Extmap e : src.extmaps) {
                Integer ours = OFFERED_EXTENSIONS.get(e.uri());
                if (ours != null && e.id() <= ExtensionIds.MAX_ID) {
                    extmaps.add(new Extmap(ours, null, e.uri(), null));
                }
            }
            boolean twcc = offersTransportCc(src);
            if (twcc) {
                extmaps.add(new Extmap(TRANSPORT_CC_ID, null, AnswerOptions.TRANSPORT_CC, null));
            }
            forwarded.add(forwardedLeg(leg.mid(), src));
            String stream = "janus" + src.publisher.id;
            offered.add(new SendOffer.Leg(leg.mid(), src.video ? "video" : "audio", src.pt, src.codec, src.fmtp,
                    src.video ? src.rtxPt : -1, src.video ? (twcc ? VIDEO_FEEDBACK_TWCC : VIDEO_FEEDBACK) : List.of(),
                    extmaps,
                    stream + " " + stream + "-" + src.mid, leg.isLive()));
        }
        LocalMedia local;
        try {
            local = ctx.offerMedia(handle, forwarded, restartIce);
        } catch (IllegalStateException e) {
            throw new VideoRoomError(VideoRoomError.UNKNOWN_ERROR, "Error preparing the offer: " + e.getMessage());
        }
        DataLeg data = sub.data();
        if (data != null) {
            // The data m-line at its place among the legs (sendonly, as Janus 1.1.2 offers it).
            offered.add(Math.min(data.mindex(), offered.size()), SendOffer.Leg.data(data.mid()));
        }
        String sdp = SendOffer.offer(offered, local, "VideoRoom " + sub.room.id, sub.sessionId, sub.nextOfferVersion())
                .write();
        ObjectNode jsep = Json.object();
        jsep.put("type", "offer");
        jsep.put("sdp", sdp);
        return jsep;
    }

    /**
     * A publisher this subscription forwards stopped publishing: a new offer with its legs
     * {@code inactive}, in an {@code updated} event, so the client's tracks end; the client
     * answers with {@code start}.
     */
    static void reoffer(PluginContext ctx, PluginHandle handle) {
        if (!(handle.pluginState() instanceof VideoRoomSession session) || session.subscription() == null
                || !handle.isAlive()) {
            return;
        }
        Subscription sub = session.subscription();
        try {
            ObjectNode jsep = writeOffer(ctx, handle, sub);
            sub.offered();
            ObjectNode updated = Json.object();
            updated.put("videoroom", "updated");
            sub.room.id.put(updated, "room");
            ArrayNode streams = updated.putArray("streams");
            sub.describeStreams(streams);
            ctx.pushEvent(handle, null, updated, jsep);
        } catch (VideoRoomError e) {
            ctx.pushEvent(handle, null, e.toEvent(), null);
        }
    }

    /**
     * Schedules a new offer for every subscription among {@code legs} (after the rooms lock is
     * released), each as a message of its handle: the caller may be an I/O thread, and the offer
     * waits for the subscriber's PeerConnection's thread.
     */
    static void reofferLater(List<SubscriberLeg> legs, Outbox out) {
        legs.stream().map(SubscriberLeg::subscriber).distinct()
                .forEach(h -> out.later(ctx -> ctx.runAsMessage(h, () -> reoffer(ctx, h))));
    }

    /**
     * {@code start}: the client's answer was applied by the core (the legs our last offer added
     * start sending), or, after {@code pause}, forwarding goes on; {@code started: "ok"}. Returns
     * the legs that need a key frame (new or resumed).
     */
    List<SubscriberLeg> start(PluginContext ctx, PluginHandle handle, Subscription sub, ObjectNode jsep,
                              String transaction, Outbox out) {
        List<SubscriberLeg> needKeyFrame = new ArrayList<>();
        if (jsep != null) {
            needKeyFrame.addAll(sub.answered());
            if (sub.firstAnswer()) {
                out.notice(handle, roomNotice("subscribed", sub)); // Janus: once, for the first answer only
            }
        }
        if (sub.isPaused()) {
            needKeyFrame.addAll(SubscriberControls.resume(ctx, handle, sub));
        }
        ObjectNode started = Subscription.event(sub.room);
        started.put("started", "ok");
        out.reply(handle, transaction, started);
        if (jsep != null) {
            SubscriberRenegotiation.afterAnswer(ctx, handle, sub, out);
        }
        return needKeyFrame;
    }
}
