package org.ccmledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.ccmledger.ledger.LedgerDigestLog;
import org.ccmledger.ledger.LedgerDigests.Digest;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.LedgerSealer;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.MongoEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Scheduled digests: one whenever the ledger grew, none while it stands still, none of an empty ledger. */
class DigestScheduleTest {

    private LedgerFixture ledger;
    private MongoEventStorageEngine engine;
    private LedgerDigestLog log;
    private IntegrityService integrity;

    @BeforeEach
    void setUp() {
        ledger = LedgerFixture.inMemory();
        ledger.collections().ensureIndexes();
        engine = ledger.engine();
        log = new LedgerDigestLog(ledger.collections());
        integrity = new IntegrityService(new LedgerVerifier(ledger.collections()),
                                         new LedgerSealer(ledger.collections(), 100), log,
                                         new org.ccmledger.ledger.SealedRecord(ledger.collections()),
                                         SigningKey.generate());
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    private void append(String aggregate, int count) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            events.add(new GenericDomainEventMessage<>("Counter", aggregate, seq, "event " + seq,
                                                       MetaData.with("actor", "tester")));
        }
        engine.appendEvents(events);
    }

    @Test
    @DisplayName("The schedule seals only when the ledger grew: nothing for an empty or unchanged ledger")
    void theScheduleSealsOnlyWhenTheLedgerGrew() {
        assertThat(integrity.sealIfLedgerGrew()).as("an empty ledger").isEmpty();

        append("a", 3);
        Digest first = integrity.sealIfLedgerGrew().orElseThrow();
        assertThat(integrity.sealIfLedgerGrew()).as("nothing appended since").isEmpty();

        append("b", 2);
        Digest second = integrity.sealIfLedgerGrew().orElseThrow();
        assertThat(first.sealedUpTo()).isEqualTo(3);
        assertThat(second.sealedUpTo()).isEqualTo(5);
        assertThat(second.previousDigest()).isEqualTo(first.chainHash());
    }

    @Test
    @DisplayName("Started with an interval, the schedule takes a digest of a grown ledger by itself; 0 turns it off")
    void theScheduleRunsByItself() {
        append("a", 4);
        DigestSchedule off = new DigestSchedule(integrity, new IntegrityProperties(null, Duration.ZERO, null));
        off.start();
        assertThat(off.isRunning()).isFalse();

        DigestSchedule testSubject = new DigestSchedule(integrity,
                                                        new IntegrityProperties(null, Duration.ofMillis(20), null));
        testSubject.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> log.highestSequence() >= 1);
        } finally {
            testSubject.stop();
        }
        assertThat(log.find(1).orElseThrow().sealedUpTo()).isEqualTo(4);
        assertThat(testSubject.isRunning()).isFalse();
    }
}
