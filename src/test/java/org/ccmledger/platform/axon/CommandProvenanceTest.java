package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

class CommandProvenanceTest {

    private final CommandProvenance provenance = new CommandProvenance();

    @Test
    void aCommandsProvenanceKeysAndNothingElseAreCopied() {
        var command = new GenericCommandMessage<>("do").andMetaData(Map.of(Provenance.ACTOR, "dr-lee",
                                                                           Provenance.REQUEST_ID, "r-1",
                                                                           Provenance.IMPORT_LINE, "l-7",
                                                                           "unrelated", "x"));

        assertThat(provenance.correlationDataFor(command))
                .isEqualTo(Map.of(Provenance.ACTOR, "dr-lee", Provenance.REQUEST_ID, "r-1",
                                  Provenance.IMPORT_LINE, "l-7"));
    }

    @Test
    void whileAnEventIsHandledNothingIsCopiedAndItsMetadataIsNotRead() {
        var event = new GenericEventMessage<>("happened", Map.of(Provenance.ACTOR, "dr-lee")) {
            @Override
            public MetaData getMetaData() {
                throw new AssertionError("an event's metadata was read for correlation data");
            }
        };

        assertThat(provenance.correlationDataFor(event)).isEmpty();
    }
}
