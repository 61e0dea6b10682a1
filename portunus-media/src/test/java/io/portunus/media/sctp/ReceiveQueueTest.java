package io.portunus.media.sctp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ReceiveQueueTest {
    /** A message whose first fragment comes last (it was lost and sent again) keeps its size and bytes. */
    @Test
    void aMessageWhoseFirstFragmentArrivesLastIsReassembledExactly() {
        ReceiveQueue q = new ReceiveQueue(1000, 1 << 20, 262_144);
        byte[] message = new byte[3 * 1000 + 300];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) (i * 7 + 1);
        }
        List<SctpEvent> out = new ArrayList<>();
        int[] order = {3, 1, 2, 0};   // the end, the middles, then the beginning
        for (int k : order) {
            int from = k * 1000;
            int to = Math.min(message.length, from + 1000);
            int flags = (k == 0 ? 2 : 0) | (k == 3 ? 1 : 0);
            byte[] part = Arrays.copyOfRange(message, from, to);
            q.data(1000 + k, 0, 0, 53, flags, part, out);
        }
        assertEquals(1, out.size());
        assertArrayEquals(message, ((SctpEvent.Message) out.get(0)).data());
    }
}
