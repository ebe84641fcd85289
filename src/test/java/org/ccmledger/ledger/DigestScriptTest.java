package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * The digest formats in docs/ledger.md are complete: docs/verify-digest.py, written from them with Python's
 * standard library, computes the root the service seals from an export, and sees a changed or deleted event.
 */
class DigestScriptTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("The documented script recomputes the sealed root (events and tombstones) and sees tampering")
    void theDocumentedScriptRecomputesTheRoot() throws Exception {
        Assumptions.assumeTrue(AuditorTools.available("python3", "--version"),
                               "python3 is needed to run the auditor's script");
        try (LedgerFixture ledger = LedgerFixture.inMemory()) {
            MongoEventStorageEngine engine = ledger.engine();
            engine.appendEvents(TestEvents.counted("p1/pt-1", 0, 3));
            engine.appendEvents(TestEvents.counted("p1/pt-2", 0, 2));
            assertThatThrownBy(() -> engine.appendEvents(TestEvents.counted("p1/pt-2", 1, 1)))
                    .isInstanceOf(ConcurrencyException.class);
            engine.appendEvents(List.of(org.axonframework.eventhandling.GenericEventMessage.asEventMessage("x")));
            engine.appendEvents(TestEvents.counted("p1/pt-1", 3, 2));
            LedgerSealer.Seal seal = new LedgerSealer(ledger.collections(), 4).sealable();
            assertThat(seal.sealedUpTo()).isEqualTo(9);

            assertThat(runScript(export(ledger), "9", seal.merkleRoot(), seal.headsRoot()))
                    .isEqualTo("merkleRoot:" + seal.merkleRoot() + "\neventCount:8\nheadsRoot:" + seal.headsRoot()
                               + "\nOK: the root matches the digest");
            assertThat(runScript(export(ledger), "9", seal.merkleRoot(), seal.merkleRoot())).endsWith(
                    "HEADS_MISMATCH: the streams do not end where the digest sealed their heads");
            assertThat(runScript(export(ledger), "5")).startsWith("merkleRoot:" + new LedgerSealer(
                    ledger.collections(), 4).recompute(5, List.of()).merkleRoot());

            ledger.collections().events().updateOne(Filters.eq("_id", 8L), Updates.set("timestamp",
                                                                                       "2020-01-01T00:00:00Z"));
            assertThat(runScript(export(ledger), "9", seal.merkleRoot())).endsWith(
                    "MISMATCH: the ledger's slots 1..9 are not the ones the digest sealed");

            ledger.collections().events().deleteOne(Filters.eq("_id", 2L));
            assertThat(runScript(export(ledger), "9", seal.merkleRoot())).startsWith("SLOT_EMPTY at 2");
        }
    }

    private Path export(LedgerFixture ledger) throws IOException {
        return AuditorTools.exportEvents(ledger.collections().events(), dir);
    }

    private static String runScript(Path export, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", Path.of("docs", "verify-digest.py").toString(),
                                                       export.toString()));
        command.addAll(List.of(arguments));
        return AuditorTools.run(command.toArray(String[]::new));
    }
}
