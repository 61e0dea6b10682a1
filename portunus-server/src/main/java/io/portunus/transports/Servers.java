package io.portunus.transports;

import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.net.EventLoops;
import io.portunus.net.TcpServers;

import java.util.function.Consumer;

/** Where the transports' TCP servers listen, from Janus's options; binding is net/'s. */
public final class Servers {
    private Servers() {
    }

    /**
     * Where a server listens, from Janus's pair of options: {@code <x>_ip} wins over
     * {@code <x>_interface}; {@code fallback} (null = every address) when neither is set.
     */
    public static String bindAddress(ConfigGroup group, String ifaceOption, String ipOption,
                                     String fallback) {
        String ip = group.string(ipOption, null);
        if (ip != null) {
            return ip;
        }
        String iface = group.string(ifaceOption, null);
        return iface != null ? iface : fallback;
    }

    public static Channel bind(EventLoops loops, ServerEndpoint endpoint, Consumer<SocketChannel> pipeline)
            throws InterruptedException {
        return TcpServers.bind(loops, endpoint.admin(), endpoint.bindAddress(), endpoint.port(), pipeline);
    }
}
