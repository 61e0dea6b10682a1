package io.portunus.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code a=simulcast:send <list> [recv <list>]} (RFC 8853 §5.1). Each direction is a list of
 * streams separated by {@code ;}; each stream a list of alternative rid ids separated by
 * {@code ,}. A rid id keeps its {@code ~} prefix when the stream is offered paused. Empty lists
 * mean the direction is absent.
 */
public record Simulcast(List<List<String>> send, List<List<String>> recv) {
    private static final Pattern RID_REF = Pattern.compile("~?[A-Za-z0-9_-]+");

    public Simulcast {
        send = send.stream().map(List::copyOf).toList();
        recv = recv.stream().map(List::copyOf).toList();
    }

    static Simulcast parse(String value) throws SdpException {
        String[] parts = Attributes.words(value, 0);
        List<List<String>> send = List.of();
        List<List<String>> recv = List.of();
        int i = 0;
        while (i < parts.length) {
            String dir = parts[i];
            if (i + 1 >= parts.length || !(dir.equals("send") || dir.equals("recv"))) {
                throw new SdpException("Invalid simulcast: " + value);
            }
            List<List<String>> list = parseList(parts[i + 1], value);
            if (dir.equals("send")) {
                send = list;
            } else {
                recv = list;
            }
            i += 2;
        }
        if (send.isEmpty() && recv.isEmpty()) {
            throw new SdpException("Invalid simulcast: " + value);
        }
        return new Simulcast(send, recv);
    }

    private static List<List<String>> parseList(String text, String value) throws SdpException {
        // Early Firefox wrote "send rid=a;b;c" (draft-ietf-mmusic-sdp-simulcast-10): accept it.
        if (text.startsWith("rid=")) {
            text = text.substring(4);
        }
        List<List<String>> streams = new ArrayList<>();
        for (String stream : text.split(";", -1)) {
            List<String> alternatives = new ArrayList<>();
            for (String id : stream.split(",", -1)) {
                if (!RID_REF.matcher(id).matches()) {
                    throw new SdpException("Invalid simulcast: " + value);
                }
                alternatives.add(id);
            }
            streams.add(alternatives);
        }
        return streams;
    }

    /** Every rid id of a direction's list, in order, without the {@code ~} paused marker. */
    public static List<String> ridIds(List<List<String>> streams) {
        List<String> ids = new ArrayList<>();
        for (List<String> alternatives : streams) {
            for (String id : alternatives) {
                ids.add(id.startsWith("~") ? id.substring(1) : id);
            }
        }
        return ids;
    }

    /** The attribute value, e.g. {@code send h;m;l}. */
    public String toSdpValue() {
        StringBuilder sb = new StringBuilder();
        if (!send.isEmpty()) {
            sb.append("send ").append(format(send));
        }
        if (!recv.isEmpty()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append("recv ").append(format(recv));
        }
        return sb.toString();
    }

    private static String format(List<List<String>> streams) {
        List<String> parts = new ArrayList<>();
        for (List<String> alternatives : streams) {
            parts.add(String.join(",", alternatives));
        }
        return String.join(";", parts);
    }
}
