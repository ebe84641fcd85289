package org.ccmledger.practice;

import java.util.Map;

import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.practice.api.RecordStaffMember;
import org.ccmledger.practice.api.StaffDirectoryId;
import org.ccmledger.practice.api.StaffMember;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The practice's staff directory over HTTP: the admin records who a user id is; reviewers read it. */
@RestController
class StaffDirectoryController {

    private static final String STAFF = "/api/v1/practices/{practiceId}/staff";

    private final CommandSender sender;
    private final StaffDirectoryStore directory;

    StaffDirectoryController(CommandSender sender, StaffDirectoryStore directory) {
        this.sender = sender;
        this.directory = directory;
    }

    record MemberRequest(String name, String credential, String npi) {
    }

    /** Answers {@code {"userId", "recorded"}}: {@code recorded} false when the member was already so. */
    @PutMapping(STAFF + "/{userId}")
    Mono<Map<String, Object>> record(@PathVariable String practiceId, @PathVariable String userId,
                                     @RequestBody MemberRequest body, ServerHttpRequest request) {
        PracticeId practice = new PracticeId(practiceId);
        StaffMember member = new StaffMember(userId, body.name(), body.credential(), body.npi());
        return sender.<Boolean>send(new RecordStaffMember(new StaffDirectoryId(practice), member), request)
                     .doOnNext(recorded -> directory.recorded(practice))
                     .map(recorded -> Map.of("userId", userId, "recorded", recorded));
    }

    /** Every member by user id. */
    @GetMapping(STAFF)
    Mono<Map<String, Object>> staff(@PathVariable String practiceId) {
        PracticeId practice = new PracticeId(practiceId);
        return Mono.fromCallable(() -> Map.<String, Object>of("staff", directory.asOf(practice, null).values()))
                   .subscribeOn(Schedulers.boundedElastic());
    }
}
