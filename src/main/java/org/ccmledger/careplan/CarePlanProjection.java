package org.ccmledger.careplan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.ccmledger.careplan.api.CarePlanContent;
import org.ccmledger.careplan.api.CarePlanHistory;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.careplan.api.CarePlanVersion;
import org.ccmledger.careplan.api.CarePlanView;
import org.ccmledger.careplan.api.FindCarePlan;
import org.ccmledger.careplan.api.FindCarePlanHistory;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.platform.axon.ReadModelBatches;
import org.ccmledger.platform.axon.VersionedReadModel;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * Care plans per patient (R10), kept by a tracking processor, with every version kept (P4), and the patients the
 * care-plan commands may be sent for.
 * <p>
 * Three kinds of documents, each read and written by key: one per enrolled patient ({@code <enrollment>}, in
 * {@code rm_careplan_patients}), one per version ({@code <enrollment>|v<n>}: the whole version) and one head per
 * plan ({@code <enrollment>}: the latest version number and when the plan was established). A version document is
 * replaced whole and the head moves only forward ({@code $max}), so an event delivered again gives the same state.
 * The history reads the head and then every version by key ({@code $in}); it shows versions 1 to n only while all of
 * them have arrived, so a version delivered late hides the ones after it for a moment rather than leaving a hole.
 * A batch of events is written at its end, one ordered bulk write per collection ({@link ReadModelBatches}).
 */
@Component
@ProcessingGroup(CarePlanProjection.PROCESSING_GROUP)
class CarePlanProjection implements VersionedReadModel {

    static final String PROCESSING_GROUP = "care-plans";
    private static final String BATCH = "care-plans-batch";
    private static final int MAX_KEYS_PER_READ = 100;

    private final MongoCollection<Document> patients;
    private final MongoCollection<Document> plans;
    private final MongoCollection<Document> versions;

    CarePlanProjection(MongoDatabase database) {
        this.patients = ReadModelBatches.collection(database, "rm_careplan_patients");
        this.plans = ReadModelBatches.collection(database, "rm_care_plans");
        this.versions = ReadModelBatches.collection(database, "rm_care_plan_versions");
    }

    @EventHandler
    void on(PatientEnrolled event) {
        String key = event.enrollmentId().toString();
        ReadModelBatches.OrderedWrites writes = writes();
        writes.add(patients, new ReplaceOneModel<>(Filters.eq("_id", key), new Document("_id", key),
                                                   new ReplaceOptions().upsert(true)));
        ReadModelBatches.handled(writes);
    }

    @EventHandler
    void on(CarePlanRevised event) {
        String key = event.carePlanId().enrollmentId().toString();
        Bson head = Updates.max("latestVersion", event.version());
        if (event.version() == 1) {
            head = Updates.combine(head, Updates.set("establishedAt", event.revisedAt().toString()));
        }
        ReadModelBatches.OrderedWrites writes = writes();
        writes.add(versions, new ReplaceOneModel<>(Filters.eq("_id", versionKey(key, event.version())),
                                                   document(key, event), new ReplaceOptions().upsert(true)));
        writes.add(plans, new UpdateOneModel<>(Filters.eq("_id", key), head, new UpdateOptions().upsert(true)));
        ReadModelBatches.handled(writes);
    }

    /** The batch's writes: versions before the heads that name them, so a reader never meets a head alone. */
    private ReadModelBatches.OrderedWrites writes() {
        return ReadModelBatches.writes(BATCH, versions, plans, patients);
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    @ResetHandler
    @Override
    public void reset() {
        patients.deleteMany(new Document());
        plans.deleteMany(new Document());
        versions.deleteMany(new Document());
    }

    @QueryHandler
    Boolean handle(CarePlanPatientKnown query) {
        return patients.find(Filters.eq("_id", query.enrollmentId().toString())).first() != null;
    }

    @QueryHandler
    CarePlanView handle(FindCarePlan query) {
        EnrollmentId id = query.enrollmentId();
        Document head = plans.find(Filters.eq("_id", id.toString())).first();
        Document current = head == null || head.getString("establishedAt") == null ? null
                : versions.find(Filters.eq("_id", versionKey(id.toString(), head.getInteger("latestVersion"))))
                          .first();
        if (current == null) {
            throw Refusal.notFound("NO_CARE_PLAN", "no care plan for this patient in this practice");
        }
        return new CarePlanView(id.practiceId().value(), id.patientId().value(), current.getInteger("version"),
                                head.getInteger("latestVersion"), Instant.parse(head.getString("establishedAt")),
                                instant(current, "revisedAt"), current.getString("revisedBy"),
                                current.getBoolean("substantialRevision"), instant(current, "sharedWithPatientAt"),
                                strings(current, "problems"), current.getString("expectedOutcome"),
                                strings(current, "measurableGoals"), current.getString("symptomManagement"),
                                strings(current, "plannedInterventions"), current.getString("medicationManagement"),
                                strings(current, "communityResources"), strings(current, "coordination"),
                                current.getString("reviewSchedule"));
    }

    /** Every version oldest first, each with the changes since the one before; 404 without a plan or patient. */
    @QueryHandler
    CarePlanHistory handle(FindCarePlanHistory query) {
        EnrollmentId id = query.enrollmentId();
        String key = id.toString();
        Document head = plans.find(Filters.eq("_id", key)).first();
        if (head == null || head.getString("establishedAt") == null) {
            if (!handle(new CarePlanPatientKnown(id))) {
                throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
            }
            throw Refusal.notFound("NO_CARE_PLAN", "no care plan for this patient in this practice");
        }
        List<String> keys = IntStream.rangeClosed(1, head.getInteger("latestVersion"))
                                     .mapToObj(version -> versionKey(key, version)).toList();
        Map<Integer, Document> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += MAX_KEYS_PER_READ) {
            versions.find(Filters.in("_id", keys.subList(from, Math.min(keys.size(), from + MAX_KEYS_PER_READ))))
                    .forEach(document -> found.put(document.getInteger("version"), document));
        }
        List<CarePlanVersion> history = new ArrayList<>();
        CarePlanContent previous = null;
        for (int version = 1; found.containsKey(version); version++) {
            Document document = found.get(version);
            CarePlanContent content = content(document);
            history.add(new CarePlanVersion(version, instant(document, "revisedAt"), document.getString("revisedBy"),
                                            document.getBoolean("substantialRevision"),
                                            instant(document, "sharedWithPatientAt"), content,
                                            previous == null ? null : CarePlanDiff.between(previous, content)));
            previous = content;
        }
        return new CarePlanHistory(id.practiceId().value(), id.patientId().value(), history);
    }

    private static CarePlanContent content(Document version) {
        return new CarePlanContent(strings(version, "problems"), version.getString("expectedOutcome"),
                                   strings(version, "measurableGoals"), version.getString("symptomManagement"),
                                   strings(version, "plannedInterventions"),
                                   version.getString("medicationManagement"), strings(version, "communityResources"),
                                   strings(version, "coordination"), version.getString("reviewSchedule"));
    }

    private static Document document(String key, CarePlanRevised event) {
        return new Document("_id", versionKey(key, event.version()))
                .append("version", event.version())
                .append("revisedAt", event.revisedAt().toString())
                .append("revisedBy", event.revisedBy())
                .append("substantialRevision", event.substantialRevision())
                .append("sharedWithPatientAt", event.sharedWithPatientAt() == null ? null
                        : event.sharedWithPatientAt().toString())
                .append("problems", event.problems())
                .append("expectedOutcome", event.expectedOutcome())
                .append("measurableGoals", event.measurableGoals())
                .append("symptomManagement", event.symptomManagement())
                .append("plannedInterventions", event.plannedInterventions())
                .append("medicationManagement", event.medicationManagement())
                .append("communityResources", event.communityResources())
                .append("coordination", event.coordination())
                .append("reviewSchedule", event.reviewSchedule());
    }

    private static Instant instant(Document document, String field) {
        String value = document.getString(field);
        return value == null ? null : Instant.parse(value);
    }

    private static List<String> strings(Document document, String field) {
        return List.copyOf(document.getList(field, String.class, List.of()));
    }

    private static String versionKey(String enrollment, int version) {
        return enrollment + "|v" + version;
    }
}
