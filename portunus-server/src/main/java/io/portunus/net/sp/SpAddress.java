package io.portunus.net.sp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * A nanomsg address: {@code tcp://host:port} ({@code *} or no host binds every address; a
 * nanomsg {@code interface;host} prefix is ignored) or {@code ipc:///path}.
 */
public record SpAddress(String text, boolean ipc, String host, int port, Path path) {

    public static SpAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing address");
        }
        if (text.startsWith("ipc://")) {
            String path = text.substring("ipc://".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("invalid address '" + text + "': no path");
            }
            return new SpAddress(text, true, null, 0, Path.of(path));
        }
        if (text.startsWith("tcp://")) {
            String rest = text.substring("tcp://".length());
            int semi = rest.indexOf(';');
            if (semi >= 0) {
                rest = rest.substring(semi + 1);
            }
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("invalid address '" + text + "': no port");
            }
            String host = rest.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid address '" + text + "': bad port");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("invalid address '" + text + "': bad port");
            }
            return new SpAddress(text, false, host.isEmpty() || host.equals("*") ? null : host, port, null);
        }
        throw new IllegalArgumentException("unsupported address '" + text + "': only tcp:// and ipc:// are supported");
    }

    /** The address to bind: every interface when no host was named. */
    public SocketAddress bindAddress() {
        return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    public SocketAddress connectAddress() {
        return new InetSocketAddress(host == null ? "127.0.0.1" : host, port);
    }

    @Override
    public String toString() {
        return text;
    }
}
