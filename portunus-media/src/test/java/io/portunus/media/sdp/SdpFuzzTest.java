package io.portunus.media.sdp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random, truncated and mutated SDP built from the fixtures: whatever the input, parsing,
 * writing and answering either work or throw {@link SdpException} — never anything else,
 * since the text comes from the network.
 */
class SdpFuzzTest {
    /** 10k iterations with a fixed seed; {@code -Dsdp.fuzz.iterations=} / {@code -Dsdp.fuzz.seed=} for longer hunts. */
    private static final int ITERATIONS = Integer.getInteger("sdp.fuzz.iterations", 10_000);
    private static final long SEED = Long.getLong("sdp.fuzz.seed", 0x5D9L);
    private static final String[] TOKENS = {" ", "  ", ":", "/", ";", "=", "a=", "m=", "\r\n", "\n", "\r", "0", "-1",
        "65536", "4294967296", "99999999999999999999", "typ", "raddr", "rport", "~", ",", "*", "rtx", "apt=",
        "send", "recv", "sendonly", "actpass", "active", "BUNDLE", "candidate:", "rtpmap:", "fmtp:", "extmap:",
        "ssrc:", "ssrc-group:FID", "rid:", "simulcast:", "mid:", "setup:", "fingerprint:", "\u00e9", "\t", ""};

    @Test
    void onlySdpExceptionEscapes() throws SdpException {
        Random random = new Random(SEED);
        List<String> fixtures = new ArrayList<>();
        for (String name : Fixtures.ALL) {
            fixtures.add(Fixtures.read(name));
        }
        LocalMedia local = LocalMedia.builder().ice("abcd", "0123456789abcdef012345").fingerprint("AA:BB")
                .candidate(Candidate.parse("1 1 udp 1 10.0.0.1 9 typ host")).endOfCandidates(true)
                .ssrc("0", 1, -1).ssrc("1", 2, 3).connectionAddress("10.0.0.1").setup(null).build();
        int parsed = 0;
        int answered = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = mutate(fixtures.get(random.nextInt(fixtures.size())), random);
            try {
                Sdp sdp = Sdp.parse(input);
                parsed++;
                String written = sdp.write();
                // what we write we can read again, identically
                assertThat(Sdp.parse(written).write()).isEqualTo(written);
                touchEverything(sdp);
                try {
                    Sdp answer = EchoAnswer.answer(sdp, local, randomOptions(random));
                    answered++;
                    assertThat(Sdp.parse(answer.write()).write()).isEqualTo(answer.write());
                } catch (SdpException expected) {
                    // an unanswerable offer is fine
                }
            } catch (SdpException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException | AssertionError e) {
                fail("iteration " + i + " escaped " + e + " for input:\n" + input, e);
            }
        }
        // the mutations must leave a fair share parseable, or the answer path is not exercised
        assertThat(parsed).isGreaterThan(ITERATIONS / 5);
        assertThat(answered).isGreaterThan(ITERATIONS / 10);
    }

    private static AnswerOptions randomOptions(Random r) {
        String[] codecs = {null, "opus", "pcmu", "vp8", "vp9", "h264", "av1", "red", "rtx", "nonsense"};
        return AnswerOptions.defaults().withAudio(r.nextInt(5) > 0).withVideo(r.nextInt(5) > 0)
                .withAudioCodec(codecs[r.nextInt(codecs.length)]).withVideoCodec(codecs[r.nextInt(codecs.length)])
                .withVideoProfile(r.nextBoolean() ? null : "42e01f").withRtx(r.nextBoolean())
                .withOpusRed(r.nextBoolean()).withAbsSendTime(r.nextBoolean());
    }

    /** Calls every accessor, since they read the lines lazily. */
    private static void touchEverything(Sdp sdp) {
        sdp.origin();
        sdp.bundleMids();
        sdp.iceUfrag();
        sdp.icePwd();
        sdp.fingerprint();
        sdp.setup();
        sdp.iceOptions();
        sdp.msidSemantic();
        sdp.extmapAllowMixed();
        sdp.unmodeledAttributes();
        sdp.connectionAddress();
        for (MediaSection m : sdp.media()) {
            m.mid();
            m.direction();
            m.connectionAddress();
            m.rtpmaps();
            m.fmtp();
            m.rtcpFb();
            m.extmaps();
            m.ssrcs();
            m.ssrcGroups();
            m.mainSsrc();
            m.simulcastSsrcs();
            m.rids();
            m.simulcast();
            m.candidates();
            m.fingerprint();
            m.setup();
            m.iceUfrag();
            m.isRejected();
            m.unmodeledAttributes();
            // a few payload types are enough: these accessors are quadratic over a whole m-line
            m.formats().stream().limit(3).forEach(m::payloadTypeFor);
            m.rtpmaps().keySet().stream().limit(3).forEach(pt -> {
                m.rtxPayloadTypeFor(pt);
                m.rtcpFb(pt);
            });
        }
    }

    private static String mutate(String text, Random r) {
        switch (r.nextInt(6)) {
            case 0 -> {
                return text.substring(0, r.nextInt(text.length() + 1)); // truncation
            }
            case 1 -> {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(200);
                for (int i = 0; i < n; i++) {
                    sb.append(r.nextInt(4) == 0 ? TOKENS[r.nextInt(TOKENS.length)] : (char) (32 + r.nextInt(95)));
                }
                return sb.toString(); // noise
            }
            default -> {
                // line-level edits keep most lines valid so that deeper code runs
                List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n")));
                int edits = 1 + r.nextInt(3);
                for (int e = 0; e < edits && !lines.isEmpty(); e++) {
                    int at = r.nextInt(lines.size());
                    String line = lines.get(at);
                    switch (r.nextInt(6)) {
                        case 0 -> lines.remove(at);
                        case 1 -> lines.add(r.nextInt(lines.size() + 1), line);
                        case 2 -> {
                            int cut = r.nextInt(line.length() + 1);
                            lines.set(at, line.substring(0, cut) + TOKENS[r.nextInt(TOKENS.length)]
                                    + line.substring(Math.min(line.length(), cut + r.nextInt(4))));
                        }
                        case 3 -> lines.set(at, line.substring(0, r.nextInt(line.length() + 1)));
                        case 4 -> {
                            String[] words = line.split(" ");
                            words[r.nextInt(words.length)] = TOKENS[r.nextInt(TOKENS.length)];
                            lines.set(at, String.join(" ", words));
                        }
                        default -> lines.set(at, line.replaceAll("[0-9]+", TOKENS[r.nextInt(TOKENS.length)]));
                    }
                }
                return String.join("\r\n", lines) + "\r\n";
            }
        }
    }
}
