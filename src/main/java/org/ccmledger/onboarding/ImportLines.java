package org.ccmledger.onboarding;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.ccmledger.ledger.LedgerCollections;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;

/**
 * The import's bookkeeping beside the ledger (never the ledger itself): which line ids of a practice were written
 * ({@code import_lines}, keyed {@code <practiceId>/<lineId>}, with the SHA-256 of the line) and which import of a
 * practice is running ({@code import_leases}, keyed by practice). A line is claimed before its command is sent and
 * marked done after; a claim left by an import that died is settled from the ledger by whoever meets it next.
 * Every lookup is by key.
 */
@Component
class ImportLines {

    /** How long an import holds its practice without renewing: one that died frees it after this. */
    static final Duration LEASE = Duration.ofMinutes(2);

    /** Where a line id stands before its line is handled. */
    enum State { NEW, CLAIMED, DONE }

    /** What the practice's bookkeeping says of a line id: its state and the hash of the line it was first used with. */
    record Known(State state, String lineHash, String importId) {
    }

    private final MongoCollection<Document> lines;
    /**
     * {@link #lines} for the claims and marks, which wait for no journal of their own: a claim is applied before its
     * batch's append and becomes durable with it (a claim lost in a crash had no events, so its line is new again); a
     * mark (done, freed) lost in a crash leaves a claim, which the next import settles from the ledger. The append is
     * always journaled, and a journaled write makes every write applied before it durable (DurableH2Backend, and
     * MongoDB's journal, which is written in order).
     */
    private final MongoCollection<Document> marks;
    private final MongoCollection<Document> leases;
    private final Clock clock = Clock.systemUTC();

    ImportLines(MongoDatabase database) {
        LedgerCollections.createCollection(database, "import_lines");
        LedgerCollections.createCollection(database, "import_leases");
        this.lines = database.getCollection("import_lines");
        this.marks = lines.withWriteConcern(lines.getWriteConcern().withJournal(false));
        this.leases = database.getCollection("import_leases");
    }

    /** Takes the practice for one import; false while another import of it holds an unexpired lease. */
    boolean lease(String practiceId, String importId) {
        Document lease = new Document("_id", practiceId).append("importId", importId)
                                                         .append("until", Date.from(clock.instant().plus(LEASE)));
        try {
            leases.insertOne(lease);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Document held = leases.find(Filters.eq("_id", practiceId)).first();
        if (held != null && held.getDate("until").toInstant().isAfter(clock.instant())) {
            return false;
        }
        // an expired lease: taken over only if nobody renewed or took it since it was read
        return held == null ? lease(practiceId, importId)
                : leases.replaceOne(Filters.and(Filters.eq("_id", practiceId),
                                                Filters.eq("importId", held.getString("importId"))),
                                    lease).getModifiedCount() == 1;
    }

    /** Keeps the practice's lease while the import runs. */
    void renew(String practiceId, String importId) {
        leases.replaceOne(Filters.eq("_id", practiceId),
                          new Document("_id", practiceId).append("importId", importId)
                                                         .append("until", Date.from(clock.instant().plus(LEASE))),
                          new ReplaceOptions().upsert(true));
    }

    void release(String practiceId, String importId) {
        leases.deleteOne(Filters.and(Filters.eq("_id", practiceId), Filters.eq("importId", importId)));
    }

    /** What is known of each line id, by key ({@code $in} on {@code _id}); a line id never seen is absent. */
    Map<String, Known> known(String practiceId, List<String> lineIds) {
        Map<String, Known> known = new HashMap<>();
        if (lineIds.isEmpty()) {
            return known;
        }
        lines.find(Filters.in("_id", lineIds.stream().map(id -> key(practiceId, id)).distinct().toList()))
             .forEach(line -> known.put(line.getString("_id").substring(practiceId.length() + 1),
                                        new Known(State.valueOf(line.getString("state")), line.getString("lineHash"),
                                                  line.getString("importId"))));
        return known;
    }

    /** Claims new line ids for this import; answers those someone else claimed first. */
    Set<String> claim(String practiceId, List<ImportLineReader.ImportLine> claimed, String importId) {
        if (claimed.isEmpty()) {
            return Set.of();
        }
        try {
            marks.insertMany(claimed.stream().map(line -> record(practiceId, line.lineId(), line.hash(), importId,
                                                                  State.CLAIMED)).toList(),
                             new InsertManyOptions().ordered(false));
            return Set.of();
        } catch (MongoBulkWriteException e) {
            Set<String> taken = new HashSet<>();
            for (BulkWriteError error : e.getWriteErrors()) {
                if (error.getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                taken.add(claimed.get(error.getIndex()).lineId());
            }
            return taken;
        }
    }

    /** The lines' events are in the ledger. */
    void done(String practiceId, List<ImportLineReader.ImportLine> written, String importId) {
        if (written.isEmpty()) {
            return;
        }
        marks.bulkWrite(written.stream().<WriteModel<Document>>map(line -> new ReplaceOneModel<>(
                                Filters.eq("_id", key(practiceId, line.lineId())),
                                record(practiceId, line.lineId(), line.hash(), importId, State.DONE),
                                new ReplaceOptions().upsert(true))).toList(),
                        new BulkWriteOptions().ordered(false));
    }

    /** The lines were refused and wrote nothing: their ids are free for the corrected lines. */
    void free(String practiceId, List<String> lineIds) {
        if (!lineIds.isEmpty()) {
            marks.deleteMany(Filters.in("_id", lineIds.stream().map(id -> key(practiceId, id)).toList()));
        }
    }

    private Document record(String practiceId, String lineId, String lineHash, String importId, State state) {
        return new Document("_id", key(practiceId, lineId)).append("lineHash", lineHash)
                                                           .append("importId", importId)
                                                           .append("state", state.name())
                                                           .append("at", Date.from(Instant.now(clock)));
    }

    private static String key(String practiceId, String lineId) {
        return practiceId + "/" + lineId;
    }
}
