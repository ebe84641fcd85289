package org.ccmledger.billing.export;

import java.time.YearMonth;
import java.util.List;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.ccmledger.billing.api.PracticeMonths;
import org.ccmledger.billing.readmodel.BillingReads;
import org.ccmledger.billing.statement.BillingService;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.axon.LedgerJson;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import reactor.core.publisher.Mono;

/** {@link PracticeMonths} from the same services the billing endpoints use. */
@Component
class ConsolePracticeMonths implements PracticeMonths {

    private final BillingService billing;
    private final BillingReads reads;
    private final ClaimsFeed claims;

    private final ClaimBatches batches;
    private final FhirClaimsFeed fhir;
    private final CommandGateway commands;
    private final ObjectMapper json = LedgerJson.mapper();

    ConsolePracticeMonths(BillingService billing, BillingReads reads, ClaimsFeed claims, ClaimBatches batches,
                          FhirClaimsFeed fhir, CommandGateway commands) {
        this.batches = batches;
        this.fhir = fhir;
        this.commands = commands;
        this.billing = billing;
        this.reads = reads;
        this.claims = claims;
    }

    @Override
    public List<Closed> close(PracticeId practice, YearMonth month, MetaData metaData) {
        return billing.close(practice.value(), month, metaData).stream()
                      .map(o -> new Closed(o.patientId(), o.status(), o.statementId(), o.blockers())).toList();
    }

    @Override
    public String csv(PracticeId practice, YearMonth month) {
        return PracticeMonthCsv.of(reads.practiceMonth(practice.value(), month));
    }

    @Override
    public String claimsCsv(PracticeId practice, YearMonth month) {
        return ClaimsFeed.csv(claims.claims(practice.value(), month));
    }

    @Override
    public String ndjson(PracticeId practice, YearMonth month) {
        StringBuilder lines = new StringBuilder();
        for (var row : reads.practiceMonth(practice.value(), month).patients()) {
            try {
                lines.append(json.writeValueAsString(row)).append('\n');
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a practice-month row is not writable as JSON");
            }
        }
        return lines.toString();
    }

    @Override
    public String claimsFhir(PracticeId practice, YearMonth month) {
        return fhir.json(practice.value(), month);
    }

    @Override
    public Interchange claimsX12(PracticeId practice, YearMonth month, MetaData metaData) {
        // recorded as the API records it (ClaimBatches.record), waited for here, off the event loop
        ClaimBatches.Prepared prepared = batches.record(
                practice.value(), batches.next(practice.value(), month),
                command -> Mono.fromCallable(() -> commands.sendAndWait(
                        GenericCommandMessage.asCommandMessage(command).andMetaData(metaData)))).block();
        return new Interchange(prepared.command().controlNumber(), prepared.interchange());
    }
}
