package io.portunus.loadtool;

import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.srtp.SrtpSession;

import static io.portunus.loadtool.LoadSession.RANDOM;
import static io.portunus.loadtool.LoadSession.VIDEO_FPS;

/**
 * A load session's RTP once DTLS is up: on the loop's ticks it builds the synthetic audio and
 * video that are due ({@link SyntheticMedia}), marks each packet with a trailer (our counter, the
 * send time, the session), protects it and sends it on the selected ICE pair; what comes back as
 * SRTP is timed against that trailer into the session's {@link StreamStats}, and everything else
 * is counted. Only the session's loop touches it.
 */
final class RtpPath {
    /** Bytes at the end of each payload: "LD", kind, layer, counter, send time, session index. */
    static final int TRAILER = 20;
    static final long AUDIO_INTERVAL_NANOS = 20_000_000L;
    static final long VIDEO_INTERVAL_NANOS = 1_000_000_000L / VIDEO_FPS;
    /** Further behind than this, a tick skips what it missed instead of sending it in a burst. */
    static final long MAX_BACKLOG_NANOS = 100_000_000L;

    private final LoadSession session;
    private final StreamStats audio;
    private final StreamStats video;
    /** One per video layer sent (the top one is {@link #video}). */
    private final StreamStats[] videoLayers;
    /** The RTP the session sends: its sequence numbers, timestamps and payloads. */
    private final SyntheticMedia media;
    private SrtpSession srtp;
    private long nextAudioNanos;
    private long nextVideoNanos;
    /** Whether the ticks send: from DTLS up until the tool stops it after the hold. */
    boolean sending;
    long rtcpIn;
    long otherIn;
    /** Packets of a lower simulcast layer a subscriber got (not counted as the top layer's). */
    long otherLayerIn;
    /** Ticks that came so late that the backlog was dropped instead of sent in one burst. */
    long lateTicks;
    long srtpErrors;

    RtpPath(LoadSession session, StreamStats audio, StreamStats video, StreamStats[] videoLayers,
            SyntheticMedia media) {
        this.session = session;
        this.audio = audio;
        this.video = video;
        this.videoLayers = videoLayers;
        this.media = media;
    }

    /** DTLS is up: SRTP with these keys from now on; {@code send} starts the pacing. */
    void start(SrtpSession srtp, long now, boolean send) {
        this.srtp = srtp;
        // Spread the sessions' packets over the interval instead of sending them all at once.
        nextAudioNanos = now + (long) (RANDOM.nextDouble() * AUDIO_INTERVAL_NANOS);
        nextVideoNanos = now + (long) (RANDOM.nextDouble() * VIDEO_INTERVAL_NANOS);
        sending = send;
    }

    /** The payload types the server's answer gave (Janus may renumber ours). */
    void usePayloadTypes(int audioPt, int videoPt) {
        media.usePayloadTypes(audioPt, videoPt);
    }

    // ---- receiving -----------------------------------------------------------------------------

    /** An SRTP or SRTCP packet (first byte 128-191); ignored before DTLS is up. */
    void receive(byte[] data, int len) {
        SrtpSession s = srtp;
        if (s == null) {
            return;
        }
        if (RtpHeader.isRtcp(data, 0, len)) {
            if (s.unprotectRtcp(data, 0, len) > 0) {
                rtcpIn++;
            } else {
                srtpErrors++;
            }
            return;
        }
        int plain = s.unprotectRtp(data, 0, len);
        if (plain <= 0) {
            srtpErrors++;
            return;
        }
        if (!RtpHeader.isValidRtp(data, 0, plain)) {
            otherIn++;
            return;
        }
        int end = plain;
        if ((data[0] & 0x20) != 0) {
            end -= data[plain - 1] & 0xFF;
        }
        int at = end - TRAILER;
        if (at < RtpHeader.payloadOffset(data, 0, plain) || data[at] != 'L' || data[at + 1] != 'D') {
            otherIn++;
            return;
        }
        if (data[at + 2] == 'V' && data[at + 3] != videoLayers.length - 1) {
            otherLayerIn++;  // a lower simulcast layer: the server has not switched to the top one (yet)
            return;
        }
        StreamStats stats = data[at + 2] == 'A' ? audio : data[at + 2] == 'V' ? video : null;
        if (stats == null) {
            otherIn++;
            return;
        }
        int counter = PacketBytes.readInt(data, at + 4);
        long sent = PacketBytes.readLong(data, at + 8);
        long delay = stats.onEcho(counter, sent, System.nanoTime());
        if (delay >= 0 && stats.windowStart >= 0 && counter >= stats.windowStart
                && (stats.windowEnd < 0 || counter < stats.windowEnd)) {
            session.recentDelays().record(delay);
        }
    }

    // ---- sending -------------------------------------------------------------------------------

    /** Sends whatever audio and video is due at {@code now} (ns). */
    void pump(long now) {
        if (!sending) {
            return;
        }
        boolean wrote = false;
        if (audio != null) {
            if (now - nextAudioNanos > MAX_BACKLOG_NANOS) {
                lateTicks++;
                nextAudioNanos = now;
            }
            while (now >= nextAudioNanos) {
                sendAudio();
                nextAudioNanos += AUDIO_INTERVAL_NANOS;
                wrote = true;
            }
        }
        if (video != null) {
            if (now - nextVideoNanos > MAX_BACKLOG_NANOS) {
                lateTicks++;
                nextVideoNanos = now;
            }
            while (now >= nextVideoNanos) {
                sendVideoFrame();
                nextVideoNanos += VIDEO_INTERVAL_NANOS;
                wrote = true;
            }
        }
        if (wrote) {
            session.flush();
        }
    }

    private void sendAudio() {
        media.audioPacket(srtp.rtpOverhead(), audio.next == 0, (p, len) -> send(p, len, audio, 'A'));
    }

    /** One frame on every layer: the top one at the full bitrate, the lower ones at a quarter and a sixteenth. */
    private void sendVideoFrame() {
        int top = videoLayers.length - 1;
        for (int layer = 0; layer <= top; layer++) {
            int l = layer;
            long bitrate = session.options().videoBitrate() >> (2 * (top - layer));
            media.videoFrame(srtp.rtpOverhead(), bitrate, layer, (p, len) -> send(p, len, videoLayers[l], 'V', l));
        }
    }

    private void send(byte[] p, int len, StreamStats stats, char kind) {
        send(p, len, stats, kind, 0);
    }

    private void send(byte[] p, int len, StreamStats stats, char kind, int layer) {
        int at = len - TRAILER;
        p[at] = 'L';
        p[at + 1] = 'D';
        p[at + 2] = (byte) kind;
        p[at + 3] = (byte) layer;
        PacketBytes.writeInt(p, at + 4, stats.next++);
        PacketBytes.writeLong(p, at + 8, System.nanoTime());
        PacketBytes.writeInt(p, at + 16, session.index);
        int n = srtp.protectRtpInPlace(p, 0, len);
        if (n > 0) {
            stats.sentBytes += len;
            session.writeSelected(p, n, false);
        }
    }
}
