package io.portunus.loadtool;

import io.netty.channel.EventLoop;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The end of a run: every peer closes on its own loop (destroying its Janus session), 10 s at most for all. */
final class Closing {
    private Closing() {
    }

    static <T> void closeAll(List<T> peers, Function<T, EventLoop> loop, Function<T, CompletableFuture<Void>> close,
                             PrintStream err) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (T p : peers) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            loop.apply(p).execute(() -> close.apply(p).whenComplete((v, e) -> f.complete(null)));
            closing.add(f);
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            err.println("loadtool: some sessions were not destroyed in 10 s");
        }
    }
}
