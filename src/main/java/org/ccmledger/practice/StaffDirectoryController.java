package org.ccmledger.practice;


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

    /** Whether recording a member changed the directory: {@code recorded} false when the member was already so. */
    record MemberRecorded(String userId, boolean recorded) {
    }

    /** Every member of the directory now. */
    record StaffList(java.util.Collection<StaffMember> staff) {
    }

    /** Answers {@code {"userId", "recorded"}}: {@code recorded} false when the member was already so. */
    @PutMapping(STAFF + "/{userId}")
    Mono<MemberRecorded> record(@PathVariable String practiceId, @PathVariable String userId,
                                     @RequestBody MemberRequest body, ServerHttpRequest request) {
        PracticeId practice = new PracticeId(practiceId);
        StaffMember member = new StaffMember(userId, body.name(), body.credential(), body.npi());
        return sender.<Boolean>send(new RecordStaffMember(new StaffDirectoryId(practice), member), request)
                     .doOnNext(recorded -> directory.recorded(practice))
                     .map(recorded -> new MemberRecorded(userId, recorded));
    }

    /** Every member by user id. */
    @GetMapping(STAFF)
    Mono<StaffList> staff(@PathVariable String practiceId) {
        PracticeId practice = new PracticeId(practiceId);
        return Mono.fromCallable(() -> new StaffList(directory.asOf(practice, null).values()))
                   .subscribeOn(Schedulers.boundedElastic());
    }
}
