package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.media.rtp.TalkingDetector;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.Codec;
import io.portunus.media.sdp.Direction;
import io.portunus.media.sdp.EchoAnswer;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.sdp.SdpException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A publisher's media (plugins.md §2.4): {@code publish}/{@code configure} with an offer get
 * our answer in the {@code configured} event, as Janus's VideoRoom; the room hears of the new
 * publisher once its PeerConnection is up ({@code publishers}); {@code unpublish} and a
 * PeerConnection that goes away tell the room {@code unpublished}.
 */
final class Publishing {
    private final Rooms rooms;

    Publishing(Rooms rooms) {
        this.rooms = rooms;
    }

    /**
     * The room's settings a publisher's offer is answered with and its streams measured by, read
     * under the rooms lock.
     */
    private record RoomMedia(List<String> audioCodecs, List<String> videoCodecs, long firFreq, Set<String> extmaps,
                             boolean audioLevelEvent, int audioActivePackets, int audioLevelAverage) {
        static RoomMedia of(Room room, Participant me) {
            // As Janus: the room's *_ext settings say which extensions a publisher may negotiate.
            Set<String> extmaps = new LinkedHashSet<>(AnswerOptions.DEFAULT_EXTMAPS);
            if (!room.audiolevelExt) {
                extmaps.remove(AnswerOptions.AUDIO_LEVEL);
            }
            if (!room.videoorientExt) {
                extmaps.remove(AnswerOptions.VIDEO_ORIENTATION);
            }
            if (!room.playoutdelayExt) {
                extmaps.remove(AnswerOptions.PLAYOUT_DELAY);
            }
            if (!room.transportWideCcExt) {
                extmaps.remove(AnswerOptions.TRANSPORT_CC);
            }
            return new RoomMedia(room.audioCodecs, room.videoCodecs, room.firFreq, extmaps,
                    room.audiolevelExt && room.audiolevelEvent, me.audioActivePackets(), me.audioLevelAverage());
        }
    }

    /** {@code publish} or {@code configure}: with a JSEP offer, the answer goes out with the event. */
    void configure(PluginContext ctx, String request, JsonNode body, PluginHandle handle, VideoRoomSession session,
                   ObjectNode jsep, String transaction, Outbox out) throws VideoRoomError {
        Participant me = session.participant();
        if (me == null) {
            throw Membership.unconfigured();
        }
        if (!me.inRoom) {
            throw new VideoRoomError(VideoRoomError.NO_SUCH_ROOM, "No such room");
        }
        if (request.equals("publish") && me.publishing) {
            throw new VideoRoomError(VideoRoomError.ALREADY_PUBLISHED, "Can't publish, already published");
        }
        Params.check(body, "bitrate", Params.Type.POSITIVE_INTEGER, false);
        Long bitrate = Params.number(body, "bitrate");
        OwnAudioLevels levels = OwnAudioLevels.atConfigure(body);
        ObjectNode answerJsep = null;
        List<PublishedStream> streams = null;
        PublishedData data = null;
        if (jsep != null) {
            if (!"offer".equalsIgnoreCase(jsep.path("type").asText())) {
                throw new VideoRoomError(VideoRoomError.INVALID_SDP_TYPE, "Unsupported SDP type '"
                        + jsep.path("type").asText() + "'");
            }
            Sdp answer;
            Room room = me.room;
            RoomMedia settings;
            synchronized (rooms) {
                checkRoomForAPublisher(room, me);
                settings = RoomMedia.of(room, me);
            }
            try {
                Sdp offer = Sdp.parse(jsep.path("sdp").asText());
                AnswerOptions options = AnswerOptions.defaults()
                        .withAudioCodec(String.join(",", settings.audioCodecs()))
                        .withVideoCodec(String.join(",", settings.videoCodecs()))
                        .withOpusRed(false)
                        .withExtmaps(settings.extmaps());
                answer = receiveOnly(EchoAnswer.answer(offer, ctx.localMedia(handle), options));
                streams = streams(me, offer, answer, settings);
                data = data(me, answer);
            } catch (SdpException | IllegalStateException e) {
                throw new VideoRoomError(VideoRoomError.INVALID_SDP, "Error parsing offer: " + e.getMessage());
            }
            answerJsep = Json.object();
            answerJsep.put("type", "answer");
            answerJsep.put("sdp", answer.write());
        }
        ObjectNode event;
        synchronized (rooms) {
            if (bitrate != null) {
                me.bitrate(bitrate);
            }
            levels.applyTo(me);
            if (streams != null) {
                streams = carriedOver(me.streams, streams);
                for (PublishedStream old : me.streams) {
                    if (!streams.contains(old)) {
                        old.removeAll();
                    }
                }
                me.keepForwarders(streams);
                me.streams = streams;
                me.data = keepData(me.data, data);
                me.audioCodec = firstCodec(streams, false);
                me.videoCodec = firstCodec(streams, true);
            }
            event = Subscription.event(me.room);
            event.put("configured", "ok");
            // As Janus 1.1.2: the codecs and streams come with an answer only, a configure without an offer is just "ok".
            if (answerJsep != null) {
                if (me.audioCodec != null) {
                    event.put("audio_codec", me.audioCodec);
                }
                if (me.videoCodec != null) {
                    event.put("video_codec", me.videoCodec);
                }
                me.describeStreams(event.putArray("streams"));
            }
        }
        out.reply(handle, transaction, event, answerJsep);
        ObjectNode notice = Json.object();
        notice.put("event", "configured");
        me.room.id.put(notice, "room");
        me.id.put(notice, "id");
        notice.put("bitrate", me.bitrate());
        out.notice(handle, notice);
    }

    /**
     * A renegotiation (a new offer in {@code configure}: an ICE restart, a track added): a stream
     * that goes on as it was (same mid, kind, payload type, codec, simulcast and header
     * extensions) keeps its object, and with it its subscribers' legs, forwarders and recording.
     */
    private static List<PublishedStream> carriedOver(List<PublishedStream> before, List<PublishedStream> now) {
        List<PublishedStream> out = new ArrayList<>();
        for (PublishedStream s : now) {
            out.add(before.stream().filter(old -> old.sameMediaAs(s)).findFirst().orElse(s));
        }
        return out;
    }

    /**
     * The room's {@code publishers} limit, checked when an offer comes: as Janus 1.1.2, only
     * participants whose PeerConnection is up count (joining is never refused, and two offers
     * racing for the last place both get an answer). Call holding the rooms lock.
     */
    private static void checkRoomForAPublisher(Room room, Participant me) throws VideoRoomError {
        if (me.publishing) {
            return; // a renegotiation of one already counted
        }
        long publishing = room.participants.values().stream().filter(p -> p != me && p.publishing).count();
        if (publishing >= room.maxPublishers) {
            throw new VideoRoomError(VideoRoomError.PUBLISHERS_FULL,
                    "Maximum number of publishers (" + room.maxPublishers + ") already reached");
        }
    }

    /**
     * As Janus's VideoRoom: a publisher's m-lines are answered {@code recvonly} whatever the
     * offer's direction (a sendrecv offer included), with no {@code ssrc-group} (nothing is sent).
     */
    private static Sdp receiveOnly(Sdp answer) {
        for (MediaSection m : answer.media()) {
            if (m.isRejected()) {
                continue;
            }
            m.setDirection(m.direction().receives() ? Direction.RECVONLY : Direction.INACTIVE);
            m.removeAttributes("ssrc-group");
        }
        return answer;
    }

    /** The streams the answer accepted, with what subscribers' offers need of them. */
    private static List<PublishedStream> streams(Participant me, Sdp offer, Sdp answer, RoomMedia settings) {
        List<PublishedStream> list = new ArrayList<>();
        List<MediaSection> media = answer.media();
        for (int i = 0; i < media.size(); i++) {
            MediaSection m = media.get(i);
            boolean video = m.type().equals("video");
            if (!video && !m.type().equals("audio") || m.isRejected() || m.formats().isEmpty() || m.mid() == null
                    || !m.direction().receives()) {
                continue;
            }
            int pt = firstMediaPayloadType(m);
            Codec codec = pt < 0 ? null : m.codec(pt);
            if (codec == null) {
                continue;
            }
            boolean simulcast = video && i < offer.media().size() && sendsSimulcast(offer.media().get(i));
            int levelId = m.extmapId(AnswerOptions.AUDIO_LEVEL);
            TalkingDetector talking = !video && settings.audioLevelEvent() && levelId > 0
                    ? new TalkingDetector(levelId, settings.audioActivePackets(), settings.audioLevelAverage()) : null;
            list.add(new PublishedStream(me, i, m.mid(), video, codec, pt, m.fmtp(pt),
                    video ? m.rtxPayloadTypeFor(pt) : -1, m.rtcpFb(pt), m.extmaps(), settings.firFreq(), simulcast,
                    talking));
        }
        return list;
    }

    /** The data channel m-line the answer accepted (RFC 8841), or null. */
    static PublishedData data(Participant me, Sdp answer) {
        List<MediaSection> media = answer.media();
        for (int i = 0; i < media.size(); i++) {
            MediaSection m = media.get(i);
            if (m.type().equals("application") && !m.isRejected() && m.mid() != null) {
                return new PublishedData(me, i, m.mid());
            }
        }
        return null;
    }

    /**
     * A renegotiation keeps the data m-line it had (same mid and index), and with it the
     * subscribers its messages go to; one that drops it or moves it closes the old one.
     */
    private static PublishedData keepData(PublishedData old, PublishedData next) {
        if (old != null && next != null && old.mid.equals(next.mid) && old.mindex == next.mindex) {
            return old;
        }
        if (old != null) {
            old.removeAll();
        }
        return next;
    }

    /** Whether an offered video m-line sends simulcast: rid-based (RFC 8853) or an ssrc-group SIM. */
    private static boolean sendsSimulcast(MediaSection m) {
        return m.simulcastSsrcs().size() > 1 || m.simulcast() != null && m.simulcast().send().size() > 1;
    }

    /** The first payload type of an answered m-line that is neither RED nor RTX, or -1. */
    private static int firstMediaPayloadType(MediaSection m) {
        for (String f : m.formats()) {
            try {
                int pt = Integer.parseInt(f);
                Codec c = m.codec(pt);
                if (c != null && !c.is("red") && !c.is("rtx")) {
                    return pt;
                }
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private static String firstCodec(List<PublishedStream> streams, boolean video) {
        for (PublishedStream s : streams) {
            if (s.video == video) {
                return s.codec.name().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** The publisher's PeerConnection is up: the others in the room hear of it. */
    void mediaUp(Participant me, Outbox out) {
        synchronized (rooms) {
            if (!me.inRoom || me.streams.isEmpty() || me.publishing) {
                return;
            }
            // As Janus: a publisher counts as published (subscribable, in "publishers" lists) once its PeerConnection is up.
            me.publishing = true;
            ObjectNode event = Subscription.event(me.room);
            event.putArray("publishers").add(me.describeAsPublisher());
            me.room.participants().stream().filter(p -> p != me).forEach(p -> out.push(p.handle, event.deepCopy()));
            // The event handlers hear it too (type 64 "published"), with the streams as the others see them.
            ObjectNode notice = Json.object();
            notice.put("event", "published");
            me.room.id.put(notice, "room");
            me.id.put(notice, "id");
            if (me.display != null) {
                notice.put("display", me.display);
            }
            me.describeStreams(notice.putArray("streams"));
            out.notice(me.handle, notice);
        }
    }

    /**
     * A published audio stream's talking state changed (audiolevel_event): every participant of
     * the room, the publisher included, gets {@code talking} or {@code stopped-talking}, and the
     * event handlers the same data (type 64), as Janus 1.1.2 sends them. Rare (at most once per
     * window of audio_active_packets), so the room is read under its lock.
     */
    void talking(PluginContext ctx, PublishedStream stream, boolean eventsOn) {
        Participant me = stream.publisher;
        ObjectNode event = Json.object();
        event.put("videoroom", stream.isTalking() ? "talking" : "stopped-talking");
        me.room.id.put(event, "room");
        me.id.put(event, "id");
        event.put("mindex", stream.mindex);
        event.put("mid", stream.mid);
        event.put("audio-level-dBov-avg", (double) stream.talking.lastAverage());
        Outbox out = new Outbox();
        synchronized (rooms) {
            if (!me.inRoom || !me.publishing) {
                return;
            }
            me.room.participants().forEach(p -> out.push(p.handle, event.deepCopy()));
        }
        out.notice(me.handle, event);
        out.deliver(ctx, eventsOn);
    }

    /** {@code unpublish}: {@code unpublished: "ok"} to the handle, its id to the others, its PeerConnection closed. */
    void unpublish(PluginHandle handle, VideoRoomSession session, String transaction, Outbox out) throws VideoRoomError {
        synchronized (rooms) {
            Participant me = session.participant();
            if (me == null) {
                throw Membership.unconfigured();
            }
            if (!me.inRoom) {
                throw new VideoRoomError(VideoRoomError.NO_SUCH_ROOM, "No such room");
            }
            List<SubscriberLeg> legs = me.legs();
            if (!me.unpublish()) {
                throw new VideoRoomError(VideoRoomError.NOT_PUBLISHED, "Can't unpublish, not published");
            }
            tellUnpublished(me, out);
            Subscribing.reofferLater(legs, out);
            ObjectNode ok = Subscription.event(me.room);
            ok.put("unpublished", "ok");
            out.reply(handle, transaction, ok);
            out.closePc(handle);
        }
    }

    /** The publisher's PeerConnection went away: it no longer publishes, and the room is told. */
    void mediaDown(Participant me, Outbox out) {
        synchronized (rooms) {
            List<SubscriberLeg> legs = me.legs();
            if (me.unpublish() && me.inRoom) {
                tellUnpublished(me, out);
            }
            Subscribing.reofferLater(legs, out);
        }
    }

    private static void tellUnpublished(Participant me, Outbox out) {
        ObjectNode unpublished = Subscription.event(me.room);
        me.id.put(unpublished, "unpublished");
        me.room.participants().stream().filter(p -> p != me).forEach(p -> out.push(p.handle, unpublished.deepCopy()));
        ObjectNode notice = Json.object();
        notice.put("event", "unpublished");
        me.room.id.put(notice, "room");
        me.id.put(notice, "id");
        out.notice(null, notice);
    }
}
