package io.portunus.nanomsg;

import io.portunus.net.sp.SpAddress;
import io.portunus.net.sp.SpCodec;
import io.portunus.net.sp.SpException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SP wire format (RFCs sp-tcp-mapping, sp-ipc-mapping, sp-protocol-ids), without I/O. */
class SpCodecTest {

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static List<String> feed(SpCodec codec, byte[] bytes, int chunk) throws SpException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunk) {
            codec.feed(ByteBuffer.wrap(bytes, i, Math.min(chunk, bytes.length - i)),
                    m -> out.add(new String(m, StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void headerIsTheRfcs() {
        assertThat(SpCodec.header(SpCodec.PAIR)).containsExactly(0, 'S', 'P', 0, 0x00, 0x10, 0, 0);
        assertThat(SpCodec.header(SpCodec.PUB)).containsExactly(0, 'S', 'P', 0, 0x00, 0x20, 0, 0);
        assertThat(SpCodec.frameHeader(5, false)).containsExactly(0, 0, 0, 0, 0, 0, 0, 5);
        assertThat(SpCodec.frameHeader(258, true)).containsExactly(1, 0, 0, 0, 0, 0, 0, 1, 2);
    }

    @Test
    void tcpAndIpcFramesDecodeWhateverTheChunking() throws SpException {
        for (boolean ipc : new boolean[]{false, true}) {
            byte[] stream = concat(SpCodec.header(SpCodec.PAIR), SpCodec.frame("{\"a\":1}".getBytes(), ipc),
                    SpCodec.frame(new byte[0], ipc), SpCodec.frame("second".getBytes(), ipc));
            for (int chunk : new int[]{1, 3, 8, 9, stream.length}) {
                SpCodec codec = new SpCodec(SpCodec.PAIR, ipc, 1024);
                assertThat(codec.headerDone()).isFalse();
                assertThat(feed(codec, stream, chunk)).as("ipc=%s chunk=%d", ipc, chunk).containsExactly("{\"a\":1}", "", "second");
                assertThat(codec.headerDone()).isTrue();
                assertThat(codec.idle()).isTrue();
            }
        }
    }

    @Test
    void partialMessageIsNotIdle() throws SpException {
        SpCodec codec = new SpCodec(SpCodec.PAIR, false, 1024);
        byte[] frame = SpCodec.frame("hello".getBytes(), false);
        feed(codec, concat(SpCodec.header(SpCodec.PAIR), Arrays.copyOf(frame, 10)), 100);
        assertThat(codec.idle()).isFalse();
    }

    @Test
    void garbageHeaderIsRefused() {
        SpCodec codec = new SpCodec(SpCodec.PAIR, false, 1024);
        assertThatThrownBy(() -> feed(codec, "GET / HTTP/1.1\r\n".getBytes(), 100))
                .isInstanceOf(SpException.class).hasMessage("not an SP protocol header");
    }

    @Test
    void incompatibleProtocolIsRefused() {
        SpCodec codec = new SpCodec(SpCodec.PAIR, false, 1024);
        assertThatThrownBy(() -> feed(codec, SpCodec.header(SpCodec.SUB), 100))
                .isInstanceOf(SpException.class).hasMessageContaining("peer protocol 0x21");
        SpCodec pub = new SpCodec(SpCodec.SUB, true, 1024);
        assertThatThrownBy(() -> feed(pub, SpCodec.header(SpCodec.PAIR), 100)).isInstanceOf(SpException.class);
    }

    @Test
    void oversizedMessageIsRefusedBeforeItsBytes() {
        SpCodec codec = new SpCodec(SpCodec.PAIR, false, 1024);
        byte[] stream = concat(SpCodec.header(SpCodec.PAIR), SpCodec.frameHeader(1025, false));
        assertThatThrownBy(() -> feed(codec, stream, 100))
                .isInstanceOf(SpException.class).hasMessage("message of 1025 bytes over the limit of 1024");
        SpCodec huge = new SpCodec(SpCodec.PAIR, false, 1024);
        byte[] negative = concat(SpCodec.header(SpCodec.PAIR), new byte[]{-1, -1, -1, -1, -1, -1, -1, -1});
        assertThatThrownBy(() -> feed(huge, negative, 100)).hasMessageContaining("18446744073709551615 bytes");
    }

    @Test
    void unknownIpcMessageTypeIsRefused() {
        SpCodec codec = new SpCodec(SpCodec.PAIR, true, 1024);
        byte[] stream = concat(SpCodec.header(SpCodec.PAIR), new byte[]{7, 0, 0, 0, 0, 0, 0, 0, 1, 'x'});
        assertThatThrownBy(() -> feed(codec, stream, 100)).hasMessage("unknown IPC message type 0x07");
    }

    @Test
    void addresses() {
        SpAddress ipc = SpAddress.parse("ipc:///tmp/janus.ipc");
        assertThat(ipc.ipc()).isTrue();
        assertThat(ipc.path().toString()).isEqualTo("/tmp/janus.ipc");
        SpAddress any = SpAddress.parse("tcp://*:5555");
        assertThat(any.host()).isNull();
        assertThat(any.port()).isEqualTo(5555);
        assertThat(SpAddress.parse("tcp://eth0;127.0.0.1:7").host()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> SpAddress.parse("inproc://x")).hasMessageContaining("only tcp:// and ipc://");
        assertThatThrownBy(() -> SpAddress.parse("tcp://host")).hasMessageContaining("no port");
    }
}
