package io.portunus.transports.nanomsg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.spi.TransportContext;
import io.portunus.core.spi.TransportSession;
import io.portunus.net.sp.SpSocket;
import io.portunus.transports.TransportControl;

import java.nio.charset.StandardCharsets;

/**
 * One NN_PAIR socket, Janus API or Admin API: the transport instance every session created
 * through it is bound to. Each SP message holds one or more JSON requests; replies and events
 * go back as one message each, to whichever peer is connected (kept until one is).
 */
final class NanomsgEndpoint implements TransportSession, SpSocket.Listener {
    private final TransportContext context;
    private final TransportControl control;
    private final boolean admin;
    volatile SpSocket socket;

    NanomsgEndpoint(TransportContext context, TransportControl control, boolean admin) {
        this.context = context;
        this.control = control;
        this.admin = admin;
    }

    @Override
    public void message(byte[] message) {
        JsonRequests.dispatch(new String(message, StandardCharsets.UTF_8), admin,
                request -> context.incomingRequest(this, request, admin, this::send), this::send);
    }

    private void send(ObjectNode message) {
        SpSocket s = socket;
        if (s != null) {
            s.send(control.json().bytes(message));
        }
    }

    @Override
    public void sendEvent(ObjectNode event) {
        send(event);
    }

    @Override
    public String transportName() {
        return NanomsgTransport.PACKAGE;
    }

    void close() {
        SpSocket s = socket;
        if (s != null) {
            s.close();
        }
        context.transportGone(this);
    }
}
