package org.ccmledger.platform.axon;

import java.util.List;

import org.bson.Document;
import org.ccmledger.ledger.MongoTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

/**
 * Rebuilds read models whose shape changed: once every bean exists and before the processors start, each
 * {@link VersionedReadModel} whose stored version ({@code rm_versions}, 1 where none is stored) differs from its code's
 * is emptied, its processor's tokens are removed so that it replays the ledger from the start, and the new version is
 * stored. A fresh database just records the versions. Upgrade one node first when several share the database.
 */
@Component
class ReadModelVersions implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ReadModelVersions.class);

    private final List<VersionedReadModel> readModels;
    private final MongoTokenStore tokens;
    private final MongoCollection<Document> versions;

    ReadModelVersions(List<VersionedReadModel> readModels, MongoTokenStore tokens, MongoDatabase database) {
        this.readModels = readModels;
        this.tokens = tokens;
        this.versions = database.getCollection("rm_versions");
    }

    @Override
    public void afterSingletonsInstantiated() {
        readModels.forEach(this::upToDate);
    }

    void upToDate(VersionedReadModel readModel) {
        String group = readModel.processingGroup();
        Document stored = versions.find(Filters.eq("_id", group)).first();
        int storedVersion = stored == null ? 1 : stored.getInteger("version");
        boolean processed = !tokens.peekTokens(group).isEmpty();
        if (processed && storedVersion != readModel.readModelVersion()) {
            log.info("Read model {} is of version {}, the code's is {}: rebuilding it from the ledger", group,
                     storedVersion, readModel.readModelVersion());
            readModel.reset();
            tokens.deleteTokens(group);
        }
        versions.replaceOne(Filters.eq("_id", group),
                            new Document("_id", group).append("version", readModel.readModelVersion()),
                            new ReplaceOptions().upsert(true));
    }
}
