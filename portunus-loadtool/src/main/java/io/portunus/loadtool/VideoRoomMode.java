package io.portunus.loadtool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The VideoRoom mode's plan: R rooms, one publisher each, then S subscribers per room, and the
 * measurement window. A subscriber counts its publisher's packets, so the window is set in the
 * publisher's counters: half a second ahead of what it has sent, copied to its subscribers
 * before any such packet can reach them, and the caller's CPU window starts when those packets
 * start to leave (the same at the end).
 */
final class VideoRoomMode {
    private static final long LEAD_MILLIS = 500;

    private final LoadTool tool;
    private final Options options;
    private final List<LoadSession> publishers = new ArrayList<>();
    private final List<LoadSession> subscribers = new ArrayList<>();

    VideoRoomMode(LoadTool tool) {
        this.tool = tool;
        this.options = tool.options;
    }

    /** Launches one publisher per room; returns how many. */
    int startPublishers() {
        for (int r = 0; r < options.rooms(); r++) {
            publishers.add(tool.launch(new VideoRoomPublisher(options.firstRoom() + r),
                    (long) (r * 1_000_000.0 / options.ramp())));
        }
        return publishers.size();
    }

    /** Launches every room's subscribers, interleaved across rooms; returns how many. */
    int startSubscribers() {
        int n = 0;
        for (int i = 0; i < options.subscribers(); i++) {
            for (LoadSession publisher : publishers) {
                VideoRoomPublisher p = (VideoRoomPublisher) publisher.signalling;
                subscribers.add(tool.launch(new VideoRoomSubscriber(p.room, publisher, p.feedId),
                        (long) (n++ * 1_000_000.0 / options.ramp())));
            }
        }
        return n;
    }

    /** The sessions the result is about. */
    List<LoadSession> subscribers() {
        return subscribers;
    }

    List<LoadSession> publishers() {
        return publishers;
    }

    void openWindow() throws Exception {
        setWindow(true);
    }

    void closeWindow() throws Exception {
        setWindow(false);
    }

    private void setWindow(boolean start) throws Exception {
        runOnLoops(publishers, p -> {
            for (StreamStats st : new StreamStats[] {p.audio, p.video}) {
                if (st != null) {
                    int at = st.next + lead(st);
                    if (start) {
                        st.windowStart = at;
                    } else {
                        st.windowEnd = at;
                    }
                }
            }
        });
        runOnLoops(subscribers, s -> {
            LoadSession p = ((VideoRoomSubscriber) s.signalling).publisher;
            copy(p.audio, s.audio, start);
            copy(p.video, s.video, start);
        });
        Thread.sleep(LEAD_MILLIS);
    }

    private static void copy(StreamStats from, StreamStats to, boolean start) {
        if (from == null || to == null) {
            return;
        }
        if (start) {
            to.windowStart = from.windowStart;
        } else {
            to.windowEnd = from.windowEnd;
        }
    }

    /** The packets a publisher's stream sends in {@link #LEAD_MILLIS}. */
    private int lead(StreamStats st) {
        double perSecond = st.video
                ? SyntheticMedia.videoPacketsPerFrame(options.videoBitrate()) * (double) LoadSession.VIDEO_FPS
                : 1e9 / RtpPath.AUDIO_INTERVAL_NANOS;
        return (int) Math.ceil(perSecond * LEAD_MILLIS / 1000.0);
    }

    /** Runs the action for every session on its own loop, all loops at once, and waits. */
    private static void runOnLoops(List<LoadSession> sessions, Consumer<LoadSession> action)
            throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (LoadSession s : sessions) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            s.loop.execute(() -> {
                action.accept(s);
                f.complete(null);
            });
            done.add(f);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    }
}
