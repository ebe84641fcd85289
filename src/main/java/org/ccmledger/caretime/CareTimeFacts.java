package org.ccmledger.caretime;

import java.time.OffsetDateTime;

import org.ccmledger.caretime.api.CareTimeRequester;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.onboarding.api.ImportableFact;
import org.ccmledger.platform.web.Require;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Care time as an onboarding import brings it: entries as the API's body with their {@code entryId} and
 * {@code performer.id} given (the product the practice came from recorded them for the performer), corrections and
 * voids with the entry and who made them. The ownership rules hold as they do over HTTP: only the performer corrects
 * or voids their entry.
 */
@Configuration(proxyBeanMethods = false)
class CareTimeFacts {

    /** A correction as the import brings it: the API's correction body, its entry and who corrected it. */
    record ImportedCorrection(String entryId, Integer minutes, OffsetDateTime startedAt, String reason,
                              String correctedBy) {
    }

    /** A void as the import brings it. */
    record ImportedVoid(String entryId, String reason, String voidedBy) {
    }

    @Bean
    ImportableFact<CareMinutesController.LogCareMinutesRequest> careMinutesFact() {
        return ImportableFact.ofEnrollment("care-minutes", CareMinutesController.LogCareMinutesRequest.class,
                                           (enrollment, body) -> body.toCommand(
                                                   enrollment, entry(body.entryId()), null,
                                                   CareTimeRequester::themselves));
    }

    @Bean
    ImportableFact<ImportedCorrection> careMinutesCorrectionFact() {
        return ImportableFact.ofEnrollment("care-minutes-correction", ImportedCorrection.class,
                                           (enrollment, body) -> new CareMinutesController.CorrectionRequest(
                                                   body.minutes(), body.startedAt(), body.reason())
                                                   .toCommand(enrollment, entry(body.entryId()),
                                                              Require.text(body.correctedBy(), "correctedBy", 128)));
    }

    @Bean
    ImportableFact<ImportedVoid> careMinutesVoidFact() {
        return ImportableFact.ofEnrollment("care-minutes-void", ImportedVoid.class,
                                           (enrollment, body) -> new CareMinutesController.VoidRequest(body.reason())
                                                   .toCommand(enrollment, entry(body.entryId()),
                                                              Require.text(body.voidedBy(), "voidedBy", 128)));
    }

    private static TimeEntryId entry(String entryId) {
        return new TimeEntryId(Require.present(entryId, "entryId"));
    }
}
