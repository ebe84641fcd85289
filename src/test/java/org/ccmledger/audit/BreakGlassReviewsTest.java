package org.ccmledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.ccmledger.audit.api.BreakGlassDecision;
import org.ccmledger.audit.api.BreakGlassReadReviewed;
import org.ccmledger.audit.api.BreakGlassReviewsId;
import org.ccmledger.audit.api.PatientDataAccessed;
import org.ccmledger.audit.api.ReviewBreakGlassRead;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.axon.LedgerJson;
import org.ccmledger.platform.axon.StableTypeNames;
import org.ccmledger.platform.problem.Refusal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A practice's review decisions on emergency reads: only of the practice's emergency reads, never by who made the read,
 * one per read, never replaced; and the access record an emergency
 * read writes, read back from each revision's stored JSON.
 */
class BreakGlassReviewsTest {

    private static final BreakGlassReviewsId ID = new BreakGlassReviewsId(new PracticeId("p1"));

    private FixtureConfiguration<BreakGlassReviews> fixture;

    /** Reads at indexes 42 and 43, made by nurse-7; nothing else is an emergency read. */
    private static final BreakGlassReviews.EmergencyReads READS = (practice, index) ->
            practice.equals("p1") && (index == 42 || index == 43) ? Optional.of("nurse-7") : Optional.empty();
    private static final MetaData BY_OFFICER = MetaData.with("actor", "co-1");

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(BreakGlassReviews.class);
        fixture.registerInjectableResource(READS);
    }

    @Test
    void onlyAnEmergencyReadOfThePracticeCanBeReviewed() {
        fixture.givenNoPriorActivity()
               .when(new ReviewBreakGlassRead(ID, 7, BreakGlassDecision.APPROPRIATE, "confirmed"), BY_OFFICER)
               .expectNoEvents()
               .expectException(Refusal.class)
               .expectExceptionMessage("this practice has no emergency read at that index");
    }

    @Test
    void whoBrokeTheGlassDoesNotReviewIt() {
        fixture.givenNoPriorActivity()
               .when(new ReviewBreakGlassRead(ID, 42, BreakGlassDecision.APPROPRIATE, "it was fine"),
                     MetaData.with("actor", "nurse-7"))
               .expectNoEvents()
               .expectException(Refusal.class)
               .expectExceptionMessage("an emergency read is reviewed by someone else than the person who made it");
    }

    @Test
    void aReviewIsRecordedForTheReadItNames() {
        fixture.givenNoPriorActivity()
               .when(new ReviewBreakGlassRead(ID, 42, BreakGlassDecision.APPROPRIATE, "confirmed with the attending"),
                     BY_OFFICER)
               .expectEvents(new BreakGlassReadReviewed(ID, 42, BreakGlassDecision.APPROPRIATE,
                                                        "confirmed with the attending"));
    }

    @Test
    void aReadIsReviewedOnceAndItsReviewNeverReplaced() {
        fixture.given(new BreakGlassReadReviewed(ID, 42, BreakGlassDecision.APPROPRIATE, "confirmed"))
               .when(new ReviewBreakGlassRead(ID, 42, BreakGlassDecision.INAPPROPRIATE, "on second thought"), BY_OFFICER)
               .expectNoEvents()
               .expectException(Refusal.class)
               .expectExceptionMessage("this emergency read has been reviewed; a review is never replaced");
    }

    @Test
    void anotherReadOfTheSamePracticeIsReviewedOnItsOwn() {
        fixture.given(new BreakGlassReadReviewed(ID, 42, BreakGlassDecision.APPROPRIATE, "confirmed"))
               .when(new ReviewBreakGlassRead(ID, 43, BreakGlassDecision.INAPPROPRIATE, "no emergency on record"),
                     BY_OFFICER)
               .expectEvents(new BreakGlassReadReviewed(ID, 43, BreakGlassDecision.INAPPROPRIATE,
                                                        "no emergency on record"));
    }

    @Test
    void aReviewNeedsADecisionAndANote() {
        assertThatThrownBy(() -> new ReviewBreakGlassRead(ID, 42, null, "why"))
                .isInstanceOf(Refusal.class).hasMessageContaining("decision");
        assertThatThrownBy(() -> new ReviewBreakGlassRead(ID, 42, BreakGlassDecision.APPROPRIATE, " "))
                .isInstanceOf(Refusal.class).hasMessageContaining("note");
        assertThatThrownBy(() -> new ReviewBreakGlassRead(ID, 42, BreakGlassDecision.APPROPRIATE, "x".repeat(501)))
                .isInstanceOf(Refusal.class).hasMessageContaining("note");
    }

    private final StableTypeNames serializer = StableTypeNames.serializer(LedgerJson.mapper(),
                                                                           new AnnotationRevisionResolver());

    private Object stored(String revision) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/events/PatientDataAccessed-" + revision + ".json")) {
            return serializer.deserialize(new SimpleSerializedObject<>(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8), String.class,
                    PatientDataAccessed.class.getName(), revision));
        }
    }

    @Test
    void anAccessRecordOfRevisionOneReadsAsAnOrdinaryRead() throws IOException {
        PatientDataAccessed read = (PatientDataAccessed) stored("1");

        assertThat(read.brokeGlass()).isFalse();
        assertThat(read.accessedAt()).isEqualTo(Instant.parse("2026-10-01T12:00:00Z"));
        assertThat(read.purposeOfUse()).isEqualTo("HCOMPL");
    }

    @Test
    void anAccessRecordOfRevisionTwoKeepsTheEmergencyReason() throws IOException {
        PatientDataAccessed read = (PatientDataAccessed) stored("2");

        assertThat(read.brokeGlass()).isTrue();
        assertThat(read.breakGlassReason()).isEqualTo("Patient unresponsive in clinic, need medication history");
        assertThat(serializer.serialize(read, String.class).getType().getRevision()).isEqualTo("2");
    }
}
