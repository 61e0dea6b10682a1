package io.portunus.media.dtls;

/** Test access to the package-private DTLS record checks, for the fuzz targets. */
public final class DtlsFramingProbe {
    private DtlsFramingProbe() {
    }

    public static boolean plausible(byte[] datagram) {
        return DtlsFraming.plausible(datagram, 0, datagram.length);
    }
}
