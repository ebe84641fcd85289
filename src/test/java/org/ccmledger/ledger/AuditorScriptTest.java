package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * The canonical form in docs/ledger.md is complete: the independent Python verifier in docs/verify-ledger.py,
 * given an Extended JSON export, accepts an untouched ledger and names the event an attacker changed.
 */
class AuditorScriptTest {

    @TempDir
    Path dir;

    @Test
    void theDocumentedScriptVerifiesAnExportAndFindsTampering() throws Exception {
        Assumptions.assumeTrue(AuditorTools.available("python3", "--version"),
                               "python3 is needed to run the auditor's script");
        try (LedgerFixture ledger = LedgerFixture.inMemory()) {
            MongoEventStorageEngine engine = ledger.engine();
            engine.appendEvents(TestEvents.counted("p1/pt-1", 0, 3));
            engine.appendEvents(TestEvents.counted("p1/pt-2", 0, 2));
            engine.appendEvents(List.of(org.axonframework.eventhandling.GenericEventMessage.asEventMessage("x")));
            engine.appendEvents(TestEvents.counted("p1/pt-1", 3, 2));
            assertThatThrownBy(() -> engine.appendEvents(TestEvents.counted("p1/pt-2", 1, 1)))
                    .isInstanceOf(org.axonframework.modelling.command.ConcurrencyException.class);

            assertThat(runScript(export(ledger))).startsWith("OK: 8 events, 1 tombstones");

            ledger.collections().events().updateOne(Filters.eq("_id", 4L),
                                                    Updates.set("metaData", "{\"actor\":\"someone-else\"}"));
            assertThat(runScript(export(ledger))).isEqualTo("HASH_MISMATCH at 4");

            ledger.collections().events().deleteOne(Filters.eq("_id", 2L));
            assertThat(runScript(export(ledger))).startsWith("MISSING_EVENT at 2");
        }
    }

    private Path export(LedgerFixture ledger) throws IOException {
        return AuditorTools.exportEvents(ledger.collections().events(), dir);
    }

    private static String runScript(Path export) throws Exception {
        return AuditorTools.run("python3", Path.of("docs", "verify-ledger.py").toString(), export.toString());
    }
}
