package io.portunus.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SessionIdsTest {
    @Test
    void theSnapshotHoldsExactlyTheLiveIdsThroughAddsAndRemoves() {
        SessionIds index = new SessionIds();
        Random random = new Random(3);
        List<Session> live = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 150; i++) {
                Session s = new Session(Ids.random(), null, 0);
                index.add(s);
                index.add(s); // a second add changes nothing
                live.add(s);
            }
            Collections.shuffle(live, random);
            for (int i = 0; i < 100; i++) {
                Session gone = live.removeLast();
                index.remove(gone);
                index.remove(gone); // nor does a second remove
            }
            assertThat(decoded(index.snapshot().decimalIds())).containsExactlyInAnyOrder(
                    live.stream().map(Session::id).toArray(Long[]::new));
        }
    }

    @Test
    void aSessionDestroyedBeforeItIsIndexedStaysOut() {
        SessionIds index = new SessionIds();
        Session s = new Session(42, null, 0);
        s.markDestroyed();
        index.add(s);
        assertThat(index.snapshot().decimalIds()).isEmpty();
    }

    @Test
    void theSnapshotIsKeptUntilASessionComesOrGoes() {
        SessionIds index = new SessionIds();
        Session a = new Session(1, null, 0);
        index.add(a);
        DecimalIds first = index.snapshot();
        assertThat(index.snapshot()).as("nothing changed").isSameAs(first);
        Session b = new Session(2, null, 0);
        index.add(b);
        DecimalIds second = index.snapshot();
        assertThat(decoded(second.decimalIds())).containsExactlyInAnyOrder(1L, 2L);
        index.remove(a);
        assertThat(decoded(index.snapshot().decimalIds())).containsExactly(2L);
        assertThat(decoded(first.decimalIds())).as("an earlier snapshot does not change").containsExactly(1L);
    }

    private static List<Long> decoded(byte[][] snapshot) {
        return Arrays.stream(snapshot).map(b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII))).toList();
    }
}
