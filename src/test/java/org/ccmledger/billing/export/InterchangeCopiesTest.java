package org.ccmledger.billing.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.bson.Document;
import org.bson.types.Binary;
import org.ccmledger.platform.mongo.EmbeddedMongoServer;
import org.ccmledger.platform.mongo.MongoProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/** Interchanges kept whole when small and in parts when large, read back byte for byte, through the driver. */
class InterchangeCopiesTest {

    /** Segments with a name whose letters take two bytes, so that parts of 10 bytes cut through characters. */
    private static final String INTERCHANGE = "ISA*00~ST*837*0001~NM1*IL*1*Muñoz*José~SE*3*0001~IEA*1*000000042~";

    private EmbeddedMongoServer server;
    private MongoClient client;
    private MongoCollection<Document> batches;

    @BeforeEach
    void start() {
        server = EmbeddedMongoServer.start(new MongoProperties.Embedded("memory", null, false, null, null));
        client = MongoClients.create(server.connectionString());
        batches = client.getDatabase("ccm_ledger").getCollection(ClaimBatches.COLLECTION);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    /** Copies in parts of 10 bytes, with {@link #INTERCHANGE} kept under {@code p1:42:sha}. */
    private InterchangeCopies keptInTenByteParts(String sha256) {
        InterchangeCopies copies = new InterchangeCopies(batches, 10);
        copies.keep("p1:42:sha", INTERCHANGE, sha256);
        return copies;
    }

    @Test
    @DisplayName("an interchange no larger than a part is one document with its text, as before parts existed")
    void smallInOneDocument() {
        new InterchangeCopies(batches, 1024).keep("p1:42:sha", INTERCHANGE, "sha");

        assertThat(batches.countDocuments()).isEqualTo(1);
        assertThat(batches.find(Filters.eq("_id", "p1:42:sha")).first().getString("interchange"))
                .isEqualTo(INTERCHANGE);
        assertThat(new InterchangeCopies(batches, 10).read("p1:42:sha")).contains(INTERCHANGE);
    }

    @Test
    @DisplayName("a larger one is kept in parts of at most the part's size, and read back byte for byte")
    void largeInParts() {
        InterchangeCopies copies = keptInTenByteParts("sha");
        copies.keep("p1:42:sha", INTERCHANGE, "sha");

        int length = INTERCHANGE.getBytes(StandardCharsets.UTF_8).length;
        int parts = (length + 9) / 10;
        Document head = batches.find(Filters.eq("_id", "p1:42:sha")).first();
        assertThat(head.getInteger("parts")).isEqualTo(parts);
        assertThat(head.getInteger("length")).isEqualTo(length);
        assertThat(head).doesNotContainKey("interchange");
        assertThat(batches.countDocuments()).as("kept twice, stored once").isEqualTo(parts + 1);
        for (int part = 0; part < parts; part++) {
            Document stored = batches.find(Filters.eq("_id", "p1:42:sha#" + part)).first();
            assertThat(stored.get("bytes", Binary.class).getData().length).isBetween(1, 10);
        }
        assertThat(copies.read("p1:42:sha")).contains(INTERCHANGE);
        assertThat(copies.read("p1:43:sha")).isEmpty();
    }

    @Test
    @DisplayName("discarding a copy drops it and every one of its parts, and nothing else")
    void discard() {
        InterchangeCopies copies = keptInTenByteParts("sha");
        copies.keep("p1:43:sha", INTERCHANGE, "sha");
        long each = batches.countDocuments() / 2;

        copies.discard("p1:42:sha");
        copies.discard("p1:44:none");

        assertThat(copies.read("p1:42:sha")).isEmpty();
        assertThat(batches.countDocuments()).isEqualTo(each);
        assertThat(copies.read("p1:43:sha")).contains(INTERCHANGE);

        // a keep that stopped before writing the document naming its parts
        batches.deleteOne(Filters.eq("_id", "p1:43:sha"));
        copies.discard("p1:43:sha");
        assertThat(batches.countDocuments()).as("its parts too").isZero();
    }

    @Test
    @DisplayName("a part missing reads as nothing; a part changed reads as other bytes, which the batch's SHA-256 catches")
    void damagedParts() {
        InterchangeCopies copies = keptInTenByteParts(ClaimBatches.sha256(INTERCHANGE));

        byte[] tenOther = "XXXXXXXXXX".getBytes(StandardCharsets.US_ASCII);
        batches.updateOne(Filters.eq("_id", "p1:42:sha#1"), Updates.set("bytes", new Binary(tenOther)));
        String changed = copies.read("p1:42:sha").orElseThrow();
        assertThat(ClaimBatches.sha256(changed)).isNotEqualTo(ClaimBatches.sha256(INTERCHANGE));
        batches.updateOne(Filters.eq("_id", "p1:42:sha#1"), Updates.set("bytes", new Binary(new byte[] {'X'})));
        assertThat(copies.read("p1:42:sha")).as("a part of another length").isEmpty();

        batches.deleteOne(Filters.eq("_id", "p1:42:sha#2"));
        assertThat(copies.read("p1:42:sha")).isEmpty();
    }

    @Test
    @DisplayName("a document naming its parts that was changed reads as nothing, never as a failure or a huge read")
    void changedHeads() {
        InterchangeCopies copies = keptInTenByteParts("sha");
        assertThat(copies.read("p1:42:sha")).contains(INTERCHANGE);
        int length = INTERCHANGE.getBytes(StandardCharsets.UTF_8).length;

        for (var change : java.util.List.of(Updates.set("parts", -1), Updates.set("parts", 1_000_000_000),
                                            Updates.set("parts", "7"), Updates.set("length", -5),
                                            Updates.set("length", Integer.MAX_VALUE), Updates.set("length", length - 1),
                                            Updates.unset("length"))) {
            copies.keep("p1:42:sha", INTERCHANGE, "sha");
            batches.updateOne(Filters.eq("_id", "p1:42:sha"), change);
            assertThat(copies.read("p1:42:sha")).as(change.toString()).isEmpty();
        }
        copies.keep("p1:42:sha", INTERCHANGE, "sha");
        batches.updateOne(Filters.eq("_id", "p1:42:sha#0"), Updates.set("bytes", "not bytes"));
        assertThat(copies.read("p1:42:sha")).isEmpty();
        batches.updateOne(Filters.eq("_id", "p1:42:sha#0"), Updates.unset("bytes"));
        assertThat(copies.read("p1:42:sha")).isEmpty();
    }
}
