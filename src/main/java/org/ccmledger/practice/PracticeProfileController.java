package org.ccmledger.practice;

import java.util.Map;

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

    record ProfileRequest(String placeOfService, Map<String, PracticeProfile.Location> locations,
                          Boolean exportVisitClaims) {

        PracticeProfile toProfile() {
            return new PracticeProfile(Require.present(placeOfService, "placeOfService"), locations,
                                       exportVisitClaims != null && exportVisitClaims);
        }
    }

    /** Answers {@code {"version": n}}, the new version in force from now on. */
    @PutMapping(PROFILE)
    Mono<Map<String, Integer>> record(@PathVariable String practiceId, @RequestBody ProfileRequest body,
                                      ServerHttpRequest request) {
        PracticeId practice = new PracticeId(practiceId);
        RecordPracticeProfile command = new RecordPracticeProfile(new PracticeProfileId(practice), body.toProfile());
        return sender.<Integer>send(command, request)
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
