package io.portunus.loadtool;

import io.netty.channel.EventLoop;
import io.portunus.media.dtls.DtlsSession;
import io.portunus.media.srtp.SrtpKeys;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A load-tool peer's DTLS listener. DtlsSession calls it on its own thread; each callback runs
 * on the peer's loop, which owns the peer's state. The server closing DTLS fails the peer,
 * unless the tool is stopping (then it is the end of the run).
 */
record LoopDtlsListener(EventLoop loop, BooleanSupplier stopping, Consumer<SrtpKeys> connected,
                        Consumer<String> fail) implements DtlsSession.Listener {

    @Override
    public void onConnected(SrtpKeys keys) {
        loop.execute(() -> connected.accept(keys));
    }

    @Override
    public void onFailed(String why) {
        loop.execute(() -> fail.accept(why));
    }

    @Override
    public void onClosed() {
        loop.execute(() -> {
            if (!stopping.getAsBoolean()) {
                fail.accept("DTLS closed by the server");
            }
        });
    }
}
