package org.ccmledger.billing.export;

import java.time.YearMonth;
import java.util.List;

import org.axonframework.messaging.MetaData;
import org.ccmledger.billing.api.PracticeMonths;
import org.ccmledger.billing.readmodel.BillingReads;
import org.ccmledger.billing.statement.BillingService;
import org.ccmledger.patient.PracticeId;
import org.springframework.stereotype.Component;

/** {@link PracticeMonths} from the same services the billing endpoints use. */
@Component
class ConsolePracticeMonths implements PracticeMonths {

    private final BillingService billing;
    private final BillingReads reads;
    private final ClaimsFeed claims;

    ConsolePracticeMonths(BillingService billing, BillingReads reads, ClaimsFeed claims) {
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
}
