package io.portunus.media.dtls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DtlsWarmUpTest {
    @Test
    void completesEveryHandshakeWithTheServersCertificate() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        assertThat(DtlsWarmUp.run(cert, DtlsPair.withThreads(DtlsSession.Options.defaults()), 3)).isEqualTo(3);
    }

    @Test
    void stopsWhenInterrupted() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        Thread.currentThread().interrupt();
        try {
            assertThat(DtlsWarmUp.run(cert, DtlsPair.withThreads(DtlsSession.Options.defaults()), 3)).isZero();
        } finally {
            Thread.interrupted();
        }
    }
}
