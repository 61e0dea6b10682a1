package io.portunus.transports;

import io.netty.handler.ssl.SslContext;

/**
 * One listening server of a transport: where it binds, whether it serves the Admin API,
 * the path or subprotocol it answers on, and TLS when secure.
 *
 * @param bindAddress null to listen on every address
 */
public record ServerEndpoint(String label, String bindAddress, int port, boolean admin, String basePath,
                             SslContext tls, Acl acl) {
}
