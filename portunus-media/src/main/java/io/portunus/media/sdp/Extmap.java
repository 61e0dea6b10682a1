package io.portunus.media.sdp;

/**
 * An RTP header extension mapping, {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]}
 * (RFC 8285 §8). {@code direction} is null when the line has none, which means
 * {@code sendrecv}; {@code attributes} is null when there are none.
 */
public record Extmap(int id, Direction direction, String uri, String attributes) {

    /** Parses the attribute value, e.g. {@code 3 http://www.ietf.org/id/draft-holmer-...}. */
    static Extmap parse(String value) throws SdpException {
        String[] parts = Attributes.words(value, 3);
        if (parts.length < 2) {
            throw new SdpException("Invalid extmap: " + value);
        }
        String idPart = parts[0];
        Direction direction = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            direction = Direction.fromSdpName(idPart.substring(slash + 1));
            if (direction == null) {
                throw new SdpException("Invalid extmap direction: " + value);
            }
            idPart = idPart.substring(0, slash);
        }
        // RFC 8285 §5: 1-14 (one-byte), up to 255 (two-byte); 4096-4351 only in offers.
        int id = Attributes.parseInt(idPart, 1, 4351, "Invalid extmap id: " + value);
        return new Extmap(id, direction, parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** The attribute value. */
    public String toSdpValue() {
        StringBuilder sb = new StringBuilder().append(id);
        if (direction != null) {
            sb.append('/').append(direction.sdpName());
        }
        sb.append(' ').append(uri);
        if (attributes != null) {
            sb.append(' ').append(attributes);
        }
        return sb.toString();
    }
}
