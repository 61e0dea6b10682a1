package io.portunus.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when the test says so (monotonic and wall time move together). */
public final class ManualClock implements Clock {
    private final AtomicLong monotonic = new AtomicLong(1_000_000);
    private final AtomicLong wall = new AtomicLong(1_764_800_000_000_000L);

    @Override
    public long monotonicMicros() {
        return monotonic.get();
    }

    @Override
    public long wallMicros() {
        return wall.get();
    }

    public void advance(Duration d) {
        long micros = d.toNanos() / 1_000;
        monotonic.addAndGet(micros);
        wall.addAndGet(micros);
    }
}
