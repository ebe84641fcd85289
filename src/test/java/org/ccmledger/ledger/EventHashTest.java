package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Date;

import org.bson.Document;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors of both hash forms, computed by docs/verify-ledger.py (the auditor's implementation of
 * docs/ledger.md, written from the text, not from this code): any change to how the service builds the canonical
 * bytes, however it is optimised, must keep every stored hash verifying.
 */
class EventHashTest {

    @Test
    @DisplayName("The typed form (v2) of a document with every kind of value matches the documented script")
    void typedFormGoldenVector() {
        Document document = new Document("_id", 42L).append("streamKey", "a:p1/pt-1#7")
                .append("aggregateIdentifier", "p1/pt-1").append("sequenceNumber", 7L)
                .append("payload", "{\"note\":\"Zoë, 5 min\"}").append("recordedAt", new Date(1_790_000_000_123L))
                .append("payloadRevision", null).append("delta", -3).append("ratio", 0.5).append("flag", true)
                .append("nested", new Document("b", 1_234_567_890_123L).append("a", Arrays.asList("x", 2)))
                .append("hashFormat", 2).append("hash", "ignored");

        assertThat(EventHash.typed(document))
                .isEqualTo("e655723a15cd7c02db4c4cfb59d148c795ee65100f8f7464ff895507e246012f");
        // the same fields in another order, and another stored hash, are the same content
        Document reordered = new Document();
        document.keySet().stream().sorted(java.util.Comparator.reverseOrder())
                .forEach(name -> reordered.append(name, document.get(name)));
        reordered.put("hash", "something else");
        assertThat(EventHash.typed(reordered)).isEqualTo(EventHash.typed(document));
        // a type changed is another content
        assertThat(EventHash.typed(new Document(document).append("delta", -3L)))
                .isNotEqualTo(EventHash.typed(document));
    }

    @Test
    @DisplayName("The v1 form of an event written before typed hashing matches the documented script")
    void v1GoldenVector() {
        Document stored = new Document("_id", 9L).append("aggregateIdentifier", "p1/pt-1").append("sequenceNumber", 0L)
                .append("aggregateType", "PatientEnrollment").append("eventIdentifier", "ev-1")
                .append("timestamp", "2026-01-02T03:04:05.006Z").append("recordedAt", new Date(1_767_323_045_007L))
                .append("payloadType", "x.Y").append("payloadRevision", null).append("payload", "{}")
                .append("metaData", "{\"actor\":\"u\"}").append("previousHash", EventHash.GENESIS);

        assertThat(EventHash.of(StoredEvent.fromDocument(stored)))
                .isEqualTo("3868dfc4c71d536a5606295b7b23bfd3ba196d8e604af04b340da2c583a81de1");
    }

    @Test
    @DisplayName("A thread's reused buffer carries nothing from one hash to the next, nor from a long event to a short")
    void hashesDoNotDependOnWhatTheThreadHashedBefore() throws Exception {
        Document small = new Document("_id", 1L).append("payload", "{\"note\":\"5 min\"}").append("hashFormat", 2);
        String alone = onAFreshThread(() -> EventHash.typed(small));
        // a note longer than the buffer a thread keeps (64 KB), then one that only fits its first size
        Document longer = new Document("_id", 2L).append("payload", "x".repeat(100_000)).append("hashFormat", 2);
        Document medium = new Document("_id", 3L).append("payload", "y".repeat(20_000)).append("hashFormat", 2);
        String longHash = EventHash.typed(longer);
        String mediumHash = EventHash.typed(medium);

        assertThat(EventHash.typed(small)).isEqualTo(alone);
        assertThat(EventHash.typed(longer)).isEqualTo(longHash);
        assertThat(EventHash.typed(small)).isEqualTo(alone);
        assertThat(EventHash.typed(medium)).isEqualTo(mediumHash);
        assertThat(onAFreshThread(() -> EventHash.typed(medium))).isEqualTo(mediumHash);
    }

    private static String onAFreshThread(java.util.concurrent.Callable<String> hash) throws Exception {
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            return thread.submit(hash).get();
        } finally {
            thread.shutdown();
        }
    }
}
