package org.ccmledger.billing.export;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import org.bson.Document;
import org.ccmledger.billing.api.ClaimsBatchExported;
import org.ccmledger.patient.PracticeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

/**
 * The interchanges' copies ({@link InterchangeCopies}, {@code claim_batches}) and which of them are drafts
 * ({@code claim_batch_drafts}): kept before their batch is recorded, so that a recorded batch always has its copy,
 * until the export ledger says whether they went out. A copy whose batch was not recorded never went out and names its
 * patients in clear, so it is dropped once that is certain: another batch holds its control number, or (for
 * {@link #sweep}) its record could no longer land.
 */
final class KeptInterchanges {

    /** The interchanges kept but not yet known to be recorded. */
    static final String DRAFTS = "claim_batch_drafts";
    /** How long after it was prepared a batch may still be recorded ({@link ClaimExports} refuses it later). */
    static final Duration RECORD_WITHIN = Duration.ofMinutes(15);
    private static final Logger log = LoggerFactory.getLogger(KeptInterchanges.class);

    private final InterchangeCopies copies;
    private final MongoCollection<Document> drafts;
    private final Function<PracticeId, ClaimBatches.History> history;
    private final Consumer<PracticeId> readAfresh;
    private final Clock clock;

    KeptInterchanges(MongoDatabase database, Function<PracticeId, ClaimBatches.History> history,
                     Consumer<PracticeId> readAfresh, Clock clock) {
        this.copies = new InterchangeCopies(database.getCollection(ClaimBatches.COLLECTION),
                                            InterchangeCopies.PART_BYTES);
        this.drafts = database.getCollection(DRAFTS);
        this.history = history;
        this.readAfresh = readAfresh;
        this.clock = clock;
    }

    /** Keeps the interchange about to be recorded, as a draft until its record is known. */
    void keep(PracticeId practice, long controlNumber, String sha256, String interchange) {
        String key = key(practice, controlNumber, sha256);
        drafts.replaceOne(Filters.eq("_id", key), new Document("_id", key).append("practiceId", practice.value())
                                                                        .append("controlNumber", controlNumber)
                                                                        .append("sha256", sha256)
                                                                        .append("preparedAt",
                                                                                Date.from(clock.instant())),
                          new ReplaceOptions().upsert(true));
        copies.keep(key, interchange, sha256);
    }

    /** The copy of a recorded batch; empty when it is missing or damaged. */
    Optional<String> read(PracticeId practice, ClaimsBatchExported batch) {
        return copies.read(key(practice, batch.controlNumber(), batch.sha256()));
    }

    /**
     * Its batch was recorded: the copy is no longer a draft. The batch is recorded whatever happens here: a draft a
     * failure leaves is settled by the next sweep, never answered as a failed export.
     */
    void settled(PracticeId practice, long controlNumber, String sha256) {
        try {
            drafts.deleteOne(Filters.eq("_id", key(practice, controlNumber, sha256)));
        } catch (RuntimeException e) {
            log.warn("A recorded interchange stays a draft until the next sweep ({})", e.getClass().getName());
        }
    }

    /**
     * Its record failed with {@code failure}: the copy is dropped when another batch holds its control number; while
     * none can be read, it stays a draft for {@link #sweep}. A failure to drop never takes the place of
     * {@code failure}: it is logged (and added to it where it keeps suppressed exceptions), and the draft stays.
     */
    void failed(PracticeId practice, long controlNumber, String sha256, Throwable failure) {
        try {
            readAfresh.accept(practice);
            decide(practice, controlNumber, sha256, false);
        } catch (RuntimeException dropping) {
            failure.addSuppressed(dropping);
            log.warn("A failed export's interchange stays a draft until the next sweep ({})",
                     dropping.getClass().getName());
        }
    }

    /**
     * The drafts prepared before {@code preparedBefore}, long enough ago that their record can no longer land (after
     * {@link #RECORD_WITHIN} it is refused): one
     * whose batch was recorded is settled; any other never went out, and its copy is dropped. How many were dropped.
     */
    int sweep(Instant preparedBefore) {
        int dropped = 0;
        for (Document draft : drafts.find(Filters.lt("preparedAt", Date.from(preparedBefore)))) {
            try {
                PracticeId practice = new PracticeId(draft.getString("practiceId"));
                readAfresh.accept(practice);
                dropped += decide(practice, draft.get("controlNumber", Number.class).longValue(),
                                  draft.getString("sha256"), true) ? 1 : 0;
            } catch (RuntimeException e) {
                // one practice's ledger that cannot be read does not stop the others' sweep
                log.warn("A kept interchange could not be settled ({}); tried again at the next sweep",
                         e.getClass().getName());
            }
        }
        return dropped;
    }

    /**
     * Settles a draft against the export ledger: its batch recorded, the copy stays; another batch under its number,
     * or none when {@code noneMeansLost}, the copy is dropped. Whether it was dropped.
     */
    private boolean decide(PracticeId practice, long controlNumber, String sha256, boolean noneMeansLost) {
        Optional<ClaimsBatchExported> recorded = history.apply(practice).batch(controlNumber);
        if (recorded.isEmpty() && !noneMeansLost) {
            return false;
        }
        boolean lost = recorded.map(batch -> !batch.sha256().equals(sha256)).orElse(true);
        String key = key(practice, controlNumber, sha256);
        if (lost) {
            copies.discard(key);
        }
        drafts.deleteOne(Filters.eq("_id", key));
        return lost;
    }

    private static String key(PracticeId practice, long controlNumber, String sha256) {
        return practice.value() + ":" + controlNumber + ":" + sha256;
    }
}
