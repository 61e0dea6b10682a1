package io.portunus.media.rtp;

/**
 * Who is talking, from the audio levels a sender puts in its packets (RFC 6464, the
 * {@code ssrc-audio-level} header extension: one byte, the V flag and the level in -dBov, 0
 * loudest, 127 silence). As Janus's VideoRoom measures it: the levels of a fixed number of
 * packets are averaged, and a window whose average is below the threshold (louder) means talking;
 * only a change from the previous window is reported. Driven by packets, no clock: one instance
 * per published audio stream, used on that stream's I/O thread; the counters and the state are
 * read by {@code handle_info}.
 */
public final class TalkingDetector {
    /** What a packet changed: nothing, talking started, talking stopped. */
    public static final int NO_CHANGE = 0;
    public static final int STARTED = 1;
    public static final int STOPPED = 2;

    private final int extensionId;
    /** Set on a signalling thread ({@link #window}), read per packet. */
    private volatile int packetsPerWindow;
    private volatile int threshold;
    private int windowPackets;
    private long windowSum;
    private volatile int lastLevel;
    private volatile float lastAverage;
    private volatile boolean talking;
    private volatile long packetsWithLevel;
    private volatile long packetsWithoutLevel;
    private volatile long changes;

    /**
     * @param extensionId      the sender's id of the audio level extension
     * @param packetsPerWindow packets averaged per decision ({@code audio_active_packets})
     * @param threshold        an average below this is talking ({@code audio_level_average}, -dBov)
     */
    public TalkingDetector(int extensionId, int packetsPerWindow, int threshold) {
        this.extensionId = extensionId;
        this.packetsPerWindow = Math.max(1, packetsPerWindow);
        this.threshold = threshold;
    }

    /**
     * New values for the decisions from the next packet on (a VideoRoom publisher's own
     * {@code audio_active_packets}/{@code audio_level_average}); the window under way goes on.
     */
    public void window(int packetsPerWindow, int threshold) {
        this.packetsPerWindow = Math.max(1, packetsPerWindow);
        this.threshold = threshold;
    }

    /** The level (0-127, -dBov) in an RTP packet's audio level element, or -1 without one. */
    public static int level(byte[] b, int off, int len, int id) {
        long at = RtpExtensions.find(b, off, len, id);
        if (at < 0 || (at & 0xFFFF) < 1) {
            return -1;
        }
        return b[(int) (at >>> 16)] & 0x7F;
    }

    /** One RTP packet of the stream: {@link #STARTED} or {@link #STOPPED} when a window changed the state. */
    public int packet(byte[] b, int off, int len) {
        int level = level(b, off, len, extensionId);
        if (level < 0) {
            packetsWithoutLevel++;
            return NO_CHANGE;
        }
        packetsWithLevel++;
        lastLevel = level;
        windowSum += level;
        if (++windowPackets < packetsPerWindow) {
            return NO_CHANGE;
        }
        float average = (float) windowSum / (float) windowPackets;
        windowPackets = 0;
        windowSum = 0;
        lastAverage = average;
        boolean now = average < threshold;
        if (now == talking) {
            return NO_CHANGE;
        }
        talking = now;
        changes++;
        return now ? STARTED : STOPPED;
    }

    public boolean talking() {
        return talking;
    }

    /** The level of the last packet that had one (0 before any, as Janus shows it). */
    public int lastLevel() {
        return lastLevel;
    }

    /** The average of the last complete window (the {@code audio-level-dBov-avg} of the events). */
    public float lastAverage() {
        return lastAverage;
    }

    public long packetsWithLevel() {
        return packetsWithLevel;
    }

    public long packetsWithoutLevel() {
        return packetsWithoutLevel;
    }

    /** Talking starts and stops reported. */
    public long changes() {
        return changes;
    }
}
