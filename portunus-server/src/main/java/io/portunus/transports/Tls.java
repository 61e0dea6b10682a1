package io.portunus.transports;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.portunus.config.jcfg.ConfigGroup;

import java.io.File;

/** TLS for HTTPS/WSS from a transport's {@code certificates} group (cert_pem, cert_key, cert_pwd). */
public final class Tls {
    private Tls() {
    }

    public static SslContext fromConfig(ConfigGroup certificates, String transport) {
        String pem = certificates.string("cert_pem", null);
        String key = certificates.string("cert_key", null);
        if (pem == null || key == null) {
            throw new IllegalArgumentException(transport + ": secure server enabled but certificates.cert_pem/cert_key missing");
        }
        try {
            return SslContextBuilder.forServer(new File(pem), new File(key), certificates.string("cert_pwd", null)).build();
        } catch (Exception e) {
            throw new IllegalArgumentException(transport + ": cannot load certificate " + pem + " / key " + key + ": " + e.getMessage(), e);
        }
    }
}
