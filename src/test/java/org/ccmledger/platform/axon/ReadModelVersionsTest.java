package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.bson.Document;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.MongoTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;

/** A read model whose shape changed is emptied and replayed from the start of the ledger; others are left alone. */
class ReadModelVersionsTest {

    private LedgerFixture store;
    private MongoTokenStore tokens;

    /** A read model of one collection, at a version. */
    private final class Model implements VersionedReadModel {
        private final int version;

        Model(int version) {
            this.version = version;
        }

        @Override
        public String processingGroup() {
            return "things";
        }

        @Override
        public int readModelVersion() {
            return version;
        }

        @Override
        public void reset() {
            store.database().getCollection("rm_things").deleteMany(new Document());
        }
    }

    @BeforeEach
    void setUp() {
        store = LedgerFixture.inMemory();
        tokens = MongoTokenStore.builder().database(store.database()).serializer(LedgerFixture.SERIALIZER).build();
        store.database().getCollection("rm_things").insertOne(new Document("_id", "a thing"));
        tokens.initializeTokenSegments("things", 1, GapAwareTrackingToken.newInstance(42, List.of()));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private ReadModelVersions versions(VersionedReadModel model) {
        return new ReadModelVersions(List.of(model), tokens, store.database());
    }

    @Test
    void aReadModelOfAnotherShapeIsEmptiedAndReplayedFromTheStart() {
        versions(new Model(2)).afterSingletonsInstantiated();

        assertThat(store.database().getCollection("rm_things").countDocuments()).isZero();
        assertThat(tokens.peekTokens("things")).isEmpty();
        assertThat(store.database().getCollection("rm_versions").find(Filters.eq("_id", "things")).first())
                .containsEntry("version", 2);
    }

    @Test
    void aReadModelOfTheSameShapeIsLeftAlone() {
        versions(new Model(2)).afterSingletonsInstantiated();
        store.database().getCollection("rm_things").insertOne(new Document("_id", "rebuilt"));
        tokens.initializeTokenSegments("things", 1, GapAwareTrackingToken.newInstance(7, List.of()));

        versions(new Model(2)).afterSingletonsInstantiated();

        assertThat(store.database().getCollection("rm_things").countDocuments()).isEqualTo(1);
        assertThat(tokens.peekTokens("things")).hasSize(1);
    }

    @Test
    void aFirstVersionWithoutARecordIsTheShapeItHasAlways() {
        versions(new Model(1)).afterSingletonsInstantiated();

        assertThat(store.database().getCollection("rm_things").countDocuments()).isEqualTo(1);
        assertThat(tokens.peekTokens("things")).hasSize(1);
    }
}
