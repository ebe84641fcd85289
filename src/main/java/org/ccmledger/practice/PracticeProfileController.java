package org.ccmledger.practice;

import java.util.Map;

import org.ccmledger.patient.PostalAddress;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.ccmledger.practice.api.PracticeProfile;
import org.ccmledger.practice.api.PracticeProfileId;
import org.ccmledger.practice.api.PracticeProfiles.PracticeProfileView;
import org.ccmledger.practice.api.RecordPracticeProfile;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** A practice's profile over HTTP: record a new version (admin), read the one in force. */
@RestController
class PracticeProfileController {

    private static final String PROFILE = "/api/v1/practices/{practiceId}/profile";

    private final CommandSender sender;
    private final PracticeProfileStore profiles;

    PracticeProfileController(CommandSender sender, PracticeProfileStore profiles) {
        this.sender = sender;
        this.profiles = profiles;
    }

    /** The tax id as sent: an EIN in clear, or a sole practitioner's SSN, sealed before anything is recorded. */
    record TaxIdRequest(String type, String value) {
    }

    // one name per schema in the OpenAPI document: another class is called AddressRequest too
    @io.swagger.v3.oas.annotations.media.Schema(name = "PracticeAddressRequest")
    record AddressRequest(String line1, String line2, String city, String state, String zip) {

        PostalAddress toAddress() {
            return new PostalAddress(line1, line2, city, state, zip);
        }
    }

    record ProfileRequest(String placeOfService, Map<String, PracticeProfile.Location> locations,
                          Boolean exportVisitClaims, String legalName, String billingProviderNpi, TaxIdRequest taxId,
                          AddressRequest address, PracticeProfile.Contact contact, String taxonomyCode,
                          PracticeProfile.Party payer, PracticeProfile.Party submitter, PracticeProfile.Party receiver,
                          String usage, Map<String, PracticeProfile.PractitionerName> practitioners,
                          Integer lateEntryDays, java.util.List<String> breakGlassRoles) {

        PracticeProfile toProfile(PracticeProfile.TaxId tax) {
            return new PracticeProfile(Require.present(placeOfService, "placeOfService"), locations,
                                       exportVisitClaims != null && exportVisitClaims, legalName, billingProviderNpi,
                                       tax, address == null ? null : address.toAddress(), contact, taxonomyCode,
                                       payer, submitter, receiver, usage, practitioners, lateEntryDays,
                                       breakGlassRoles);
        }
    }

    /** Answers {@code {"version": n}}, the new version in force from now on. */
    @PutMapping(PROFILE)
    Mono<Map<String, Integer>> record(@PathVariable String practiceId, @RequestBody ProfileRequest body,
                                      ServerHttpRequest request) {
        PracticeId practice = new PracticeId(practiceId);
        TaxIdRequest tax = body.taxId();
        if (tax != null && !(("EIN".equals(tax.type()) && tax.value() != null && tax.value().matches("[0-9]{9}"))
                             || ("SSN".equals(tax.type()) && tax.value() != null
                                 && tax.value().matches("[0-9]{9}")))) {
            return Mono.error(Refusal.malformed("INVALID_FIELD", "Field 'taxId' must be an EIN or an SSN of nine "
                                                                + "digits, without dashes"));
        }
        // every other field is checked before the SSN is sealed and anything is recorded
        body.toProfile(null);
        return Mono.fromCallable(() -> body.toProfile(tax == null ? null : "EIN".equals(tax.type())
                           ? new PracticeProfile.TaxId("EIN", tax.value(), null)
                           : new PracticeProfile.TaxId("SSN", null, profiles.sealSsn(practice, tax.value()))))
                   .subscribeOn(Schedulers.boundedElastic())
                   .flatMap(profile -> sender.<Integer>send(new RecordPracticeProfile(new PracticeProfileId(practice),
                                                                                     profile), request))
                   .doOnNext(version -> profiles.recorded(practice))
                   .map(version -> Map.of("version", version));
    }

    @GetMapping(PROFILE)
    Mono<PracticeProfileView> profile(@PathVariable String practiceId) {
        PracticeId practice = new PracticeId(practiceId);
        return Mono.fromCallable(() -> profiles.current(practice)
                                               .orElseThrow(() -> Refusal.notFound("NO_PROFILE",
                                                                                   "this practice has recorded no "
                                                                                   + "profile")))
                   .subscribeOn(Schedulers.boundedElastic());
    }
}
