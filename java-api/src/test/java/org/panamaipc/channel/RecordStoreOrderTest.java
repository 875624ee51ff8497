package org.panamaipc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order of a sender's stores, in the style of Agrona's ring-buffer tests: a record's header
 * (and, for a copying send, its payload) is written before the release store of its tag that
 * publishes it to receivers. A receiver that reads a tag with acquire trusts everything stored
 * before it; a header stored after would be read half-written.
 *
 * <p>The stores are the ones {@link RecordWrites} makes, recorded in the order made by a child JVM
 * that turns the recording on ({@link RecordStoreOrderChild}): every store a sender makes into the
 * records goes through those methods, so the record is the sequence the sender generates. The
 * check is per record position: since the previous tag stored at a position (an earlier lap), a
 * header must have been stored there before a COMMITTED or SKIP tag, with the payload too for
 * every message type but the zero-copy one (4), whose payload the caller writes.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class RecordStoreOrderTest {

    private static final int ZERO_COPY_TYPE = 4;

    @Test
    void shouldWriteTheHeaderAndPayloadBeforePublishingTheTag() throws Exception {
        String name = TestNames.unique("store-order");
        try (ChildProcess child = ChildProcess.java(RecordStoreOrderChild.class, name)) {
            child.assertSuccess(Duration.ofSeconds(90));
            List<String> problems = new ArrayList<>();
            Map<Long, List<String>> sinceTag = new HashMap<>();
            int committed = 0;
            int skipped = 0;
            int padding = 0;
            int sent = 0;
            for (String line : child.output().split("\n")) {
                String[] f = line.trim().split(" ");
                if (f[0].equals("SENT")) {
                    sent += Integer.parseInt(f[2]);
                }
                if (!f[0].equals("STORE")) {
                    continue;
                }
                String kind = f[1];
                long index = Long.parseLong(f[2]);
                long value = Long.parseLong(f[3]);
                List<String> stores = sinceTag.computeIfAbsent(index, i -> new ArrayList<>());
                if (!kind.equals("TAG")) {
                    stores.add(kind.equals("HEADER") ? "HEADER" + value : kind);
                    continue;
                }
                int state = RecordDescriptor.state(value);
                if (state == RecordDescriptor.PADDING) {
                    padding++;
                } else {
                    String header = stores.stream().filter(s -> s.startsWith("HEADER")).findFirst().orElse(null);
                    if (header == null) {
                        problems.add("tag " + value + " at index " + index + " published with no header stored before it");
                    } else if (state == RecordDescriptor.COMMITTED && !header.equals("HEADER" + ZERO_COPY_TYPE)
                            && !stores.contains("PAYLOAD")) {
                        problems.add("tag " + value + " at index " + index + " published before the payload of " + header);
                    }
                    committed += state == RecordDescriptor.COMMITTED ? 1 : 0;
                    skipped += state == RecordDescriptor.SKIP ? 1 : 0;
                }
                stores.clear();
            }
            assertEquals(List.of(), problems);
            assertEquals(sent, committed, "every message sent was published once");
            assertEquals(2 * 5, skipped, "every abort was published as a skip");
            assertTrue(padding >= 2, "laps ended in padding on both channels: " + padding);
        }
    }
}
