package io.portunus.events;

import io.portunus.core.event.SerializedEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiskSpoolTest {

    private static SerializedEvent event(int i) {
        return new SerializedEvent(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), 1, 1000 + i, i);
    }

    @Test
    void readsInOrderAndKeepsWhatIsNotCommittedAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("spool");
        try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
            assertThat(spool.append(List.of(event(0), event(1), event(2)))).isTrue();
            List<SerializedEvent> first = spool.read(2);
            assertThat(first).extracting(SerializedEvent::seq).containsExactly(0L, 1L);
            spool.commit(first.size());
            List<SerializedEvent> again = spool.read(10);
            assertThat(again).extracting(SerializedEvent::seq).containsExactly(2L);
            assertThat(again.getFirst().text()).isEqualTo("{\"n\":2}");
            assertThat(again.getFirst().timestampMicros()).isEqualTo(1002);
            // not committed: a crash here means it is sent again (at least once)
        }
        try (DiskSpool reopened = new DiskSpool(dir, 1 << 20)) {
            assertThat(reopened.backlogEvents()).isEqualTo(1);
            assertThat(reopened.read(10)).extracting(SerializedEvent::seq).containsExactly(2L);
            reopened.commit(1);
            assertThat(reopened.backlogEvents()).isZero();
            assertThat(reopened.backlogBytes()).isZero();
        }
    }

    @Test
    void rollsSegmentsDeletesDeliveredOnesAndRefusesBeyondItsSize() throws Exception {
        Path dir = Files.createTempDirectory("spool");
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 'x');
        try (DiskSpool spool = new DiskSpool(dir, 20L << 20)) {
            List<SerializedEvent> many = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                many.add(new SerializedEvent(big, 1, i, i));
            }
            for (SerializedEvent e : many) {
                assertThat(spool.append(List.of(e))).isTrue();
            }
            assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".spool")).count()).isGreaterThan(1);
            assertThat(spool.append(many)).as("over spool_max_size").isFalse();
            long seen = 0;
            while (spool.backlogEvents() > 0) {
                List<SerializedEvent> batch = spool.read(5);
                for (SerializedEvent e : batch) {
                    assertThat(e.seq()).isEqualTo(seen++);
                }
                spool.commit(batch.size());
            }
            assertThat(seen).isEqualTo(12);
            assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".spool")).count()).isEqualTo(1);
        }
    }
}
