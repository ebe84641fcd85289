package org.ccmledger.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.ccmledger.ledger.LedgerDigests;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.LedgerSealer;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.MongoEventStorageEngine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long sealing (the Merkle root over every slot), verifying a digest and verifying the whole ledger take for N
 * events ({@code -Dccm.bench.digest.events}, default 100,000), on the embedded server's in-memory and H2 backends.
 * Prints numbers, asserts only that the work was done.
 */
@Tag("benchmark")
class DigestBenchmark {

    private static final int EVENTS = Integer.getInteger("ccm.bench.digest.events", 100_000);
    private static final int PER_COMMIT = 50;

    record Payload(String patient, long n, String note) {
    }

    @TempDir
    Path dir;

    @Test
    void inMemory() {
        try (LedgerFixture ledger = LedgerFixture.inMemory()) {
            measure("memory", ledger);
        }
    }

    @Test
    void onH2() {
        try (LedgerFixture ledger = LedgerFixture.onH2(dir)) {
            measure("h2", ledger);
        }
    }

    private static void measure(String backend, LedgerFixture ledger) {
        MongoEventStorageEngine engine = ledger.engine();
        long start = System.nanoTime();
        for (int i = 0; i < EVENTS / PER_COMMIT; i++) {
            String aggregate = "p1/pt-" + i;
            List<DomainEventMessage<?>> events = new ArrayList<>();
            for (int seq = 0; seq < PER_COMMIT; seq++) {
                events.add(new GenericDomainEventMessage<>("PatientEnrollment", aggregate, seq,
                                                           new Payload(aggregate, seq, "care minutes " + seq),
                                                           MetaData.with("actor", "nurse-1")));
            }
            engine.appendEvents(events);
        }
        long filled = System.nanoTime();

        LedgerSealer sealer = new LedgerSealer(ledger.collections(), 500);
        sealer.sealable();
        long cold = System.nanoTime();
        LedgerSealer.Seal seal = sealer.sealable();
        long warm = System.nanoTime();
        KeyPair key = ed25519();
        LedgerDigests.Digest unsigned = LedgerDigests.next(null, seal.sealedUpTo(), seal.eventCount(),
                                                           seal.merkleRoot(), Instant.now(),
                                                           LedgerDigests.keyId(key.getPublic()));
        LedgerDigests.sign(unsigned, key.getPrivate());
        long beforeSigning = System.nanoTime();
        LedgerDigests.Digest digest = LedgerDigests.sign(unsigned, key.getPrivate());
        long signed = System.nanoTime();
        LedgerSealer.Seal again = sealer.recompute(digest.sealedUpTo(), List.of(digest.sealedUpTo() / 2));
        long recomputed = System.nanoTime();
        LedgerVerifier.Report report = new LedgerVerifier(ledger.collections(), 500).verifyLedger();
        long verified = System.nanoTime();

        assertEquals(EVENTS, seal.sealedUpTo());
        assertEquals(seal.merkleRoot(), again.merkleRoot());
        assertTrue(report.intact());
        System.out.printf(Locale.ROOT, "DIGEST BENCHMARK %s: %,d events appended in %.1f s; seal (Merkle root over "
                                  + "every slot) cold %.2f s, warm %.2f s = %.1f µs/event; sign %.3f ms; recompute "
                                  + "for a digest verification %.2f s; whole-ledger verification %.2f s%n",
                          backend, EVENTS, seconds(start, filled), seconds(filled, cold), seconds(cold, warm),
                          (warm - cold) / 1000.0 / EVENTS, (signed - beforeSigning) / 1e6,
                          seconds(signed, recomputed), seconds(recomputed, verified));
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
