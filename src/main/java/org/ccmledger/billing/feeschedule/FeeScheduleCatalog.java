package org.ccmledger.billing.feeschedule;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.ccmledger.billing.api.FeeScheduleId;
import org.ccmledger.billing.api.FeeScheduleImported;
import org.ccmledger.billing.rules.BillingProperties;
import org.ccmledger.billing.rules.RuleData;
import org.ccmledger.billing.rules.RuleDataRepository;
import org.ccmledger.billing.rules.RuleDataSource;
import org.ccmledger.platform.axon.ReferenceStreams;
import org.springframework.stereotype.Component;

/**
 * Every year's rule data: the latest import of the year (stream {@code reference:fee-schedule:<year>}, read from the
 * ledger and verified like every other read) wins over a practice's override file, which wins over the file shipped
 * with the service. Any version still at hand can be named, so a statement is recomputed with its own.
 */
@Component
public class FeeScheduleCatalog implements RuleDataSource {

    private final RuleDataRepository files;
    private final ReferenceStreams streams;
    private final Map<String, RuleData> parsed = new ConcurrentHashMap<>();

    FeeScheduleCatalog(BillingProperties properties, ReferenceStreams streams) {
        this.files = new RuleDataRepository(properties.ruleDataDirectory());
        this.streams = streams;
    }

    @Override
    public RuleData current(int year) {
        List<RuleData> imported = imported(year);
        if (!imported.isEmpty()) {
            return imported.get(imported.size() - 1);
        }
        return files.forYear(year);
    }

    @Override
    public RuleData version(int year, String version) {
        Optional<RuleData> found = imported(year).stream().filter(d -> d.version().equals(version)).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        try {
            RuleData file = files.forYear(year);
            if (file.version().equals(version)) {
                return file;
            }
        } catch (IllegalArgumentException e) {
            // no file for the year: the current data, if any, answers below
        }
        return current(year);
    }

    /**
     * The rule data an import for {@code year} starts from (families, caps, exclusions, coinsurance carry over): the
     * year's own, else the nearest earlier year's, else the nearest later year's.
     */
    RuleData baseFor(int year) {
        for (int distance = 0; distance <= 100; distance++) {
            for (int candidate : distance == 0 ? new int[] {year} : new int[] {year - distance, year + distance}) {
                try {
                    return current(candidate);
                } catch (IllegalArgumentException e) {
                    // no data for that year
                }
            }
        }
        throw new IllegalArgumentException("no rule data near " + year + " to carry families and caps over from");
    }

    /** The year's imports in order: worked out once per read of the year's stream, not for every patient-month. */
    List<RuleData> imported(int year) {
        return streams.derived(new FeeScheduleId(year).toString(), "rule-data", events -> imports(events).stream().map(
                e -> parsed.computeIfAbsent(e.version(), v -> RuleDataRepository.fromJson(e.ruleData(), "import " + v)))
                .toList());
    }

    List<FeeScheduleImported> events(int year) {
        return imports(streams.events(new FeeScheduleId(year).toString()));
    }

    private static List<FeeScheduleImported> imports(List<ReferenceStreams.Recorded> events) {
        return events.stream().map(ReferenceStreams.Recorded::payload).filter(FeeScheduleImported.class::isInstance)
                     .map(FeeScheduleImported.class::cast).toList();
    }

    void imported(FeeScheduleId id) {
        streams.forget(id.toString());
    }
}
