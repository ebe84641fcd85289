package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.axonframework.eventhandling.DomainEventMessage;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;

/**
 * What the ledger asks of the embedded server when an append's caller makes it durable with a journaled write of its
 * own ({@link DurableWithAnswer}): the append, as the server receives it, asks to be answered first only inside
 * {@link DurableWithAnswer#call}, and the events are stored either way.
 */
class DurableWithAnswerTest {

    @TempDir
    Path dataDir;

    @Test
    void onlyAnAppendMadeInsideCallAsksToBeAnsweredBeforeItsCommit() throws Exception {
        List<BsonDocument> appends = new CopyOnWriteArrayList<>();
        CommandListener listener = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                if (event.getCommandName().equals("ccmAppend")) {
                    appends.add(event.getCommand().clone());
                }
            }
        };
        try (LedgerFixture ledger = LedgerFixture.onH2(dataDir, false);
             MongoClient client = MongoClients.create(MongoClientSettings.builder()
                     .applyConnectionString(new ConnectionString(ledger.connectionString()))
                     .addCommandListener(listener).build())) {
            MongoEventStorageEngine engine = ledger.engineBuilder()
                    .collections(new LedgerCollections(client.getDatabase("ccm_ledger"))).build();
            List<DomainEventMessage<?>> events = TestEvents.counted("patient-1", 0, 3);

            engine.appendEvents(events.subList(0, 1));
            DurableWithAnswer.call(() -> {
                engine.appendEvents(events.subList(1, 2));
                return null;
            });
            assertThat(DurableWithAnswer.active()).isFalse();
            engine.appendEvents(events.subList(2, 3));

            assertThat(appends).extracting(a -> a.getBoolean("answerFirst").getValue())
                               .containsExactly(false, true, false);
            assertThat(engine.readEvents("patient-1").asStream().map(DomainEventMessage::getIdentifier))
                    .containsExactlyElementsOf(events.stream().map(DomainEventMessage::getIdentifier).toList());
        }
    }

    @Test
    void aCallInsideAnotherLeavesTheOuterOneInForce() throws Exception {
        DurableWithAnswer.call(() -> {
            DurableWithAnswer.call(() -> null);
            assertThat(DurableWithAnswer.active()).isTrue();
            return null;
        });

        assertThat(DurableWithAnswer.active()).isFalse();
    }
}
