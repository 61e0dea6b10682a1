package io.portunus.transports.rabbitmq;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.File;
import javax.net.ssl.SSLContext;

/**
 * The client side TLS of the broker transports and event handlers (RabbitMQ, MQTT): a
 * {@link SSLContext} from Janus's PEM options — a CA file to check the broker with (else the
 * JDK's trust store), an optional client certificate and key, and {@code verify_peer = false}
 * to accept any broker certificate.
 */
public final class BrokerTls {
    private BrokerTls() {
    }

    public static SSLContext context(String module, String caFile, String certFile, String keyFile, boolean verifyPeer) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            if (!verifyPeer) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (caFile != null) {
                b.trustManager(new File(caFile));
            }
            if (certFile != null && keyFile != null) {
                b.keyManager(new File(certFile), new File(keyFile));
            }
            return ((JdkSslContext) b.build()).context();
        } catch (Exception e) {
            throw new IllegalArgumentException(module + ": cannot set up TLS (ca " + caFile + ", cert " + certFile
                    + ", key " + keyFile + "): " + e.getMessage(), e);
        }
    }
}
