package org.ccmledger.platform.axon;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the event store and token store ({@code ccm.ledger.*}).
 *
 * @param batchSize         events per read batch (default 100)
 * @param gapTimeout        how long trackers wait for a reserved index to fill (default 60 s)
 * @param commitDeadline    how long a commit may take to insert after reserving its indexes (default 10 s)
 * @param snapshotThreshold events after which an aggregate is snapshotted (default 100)
 * @param claimTimeout      how long a token claim holds without being extended (default 10 s)
 * @param transactions      {@code auto} (use multi-document transactions when connected to a replica set), {@code on}
 *                          or {@code off}
 * @param aggregateCacheSize patients' enrolment aggregates kept in memory between commands on a node, each used only
 *                          while its stream's head is unmoved (default 5,000; 0 keeps none)
 * @param readAhead         batches a processor's stream reads ahead while it is behind, as it handles the current one
 *                          (default 4; 0 reads each when asked for)
 */
@ConfigurationProperties("ccm.ledger")
public record LedgerProperties(Integer batchSize, Duration gapTimeout, Duration commitDeadline,
                               Integer snapshotThreshold, Duration claimTimeout, String transactions,
                               Integer aggregateCacheSize, Integer readAhead) {

    public LedgerProperties {
        batchSize = batchSize == null ? 100 : batchSize;
        gapTimeout = gapTimeout == null ? Duration.ofSeconds(60) : gapTimeout;
        commitDeadline = commitDeadline == null ? Duration.ofSeconds(10) : commitDeadline;
        snapshotThreshold = snapshotThreshold == null ? 100 : snapshotThreshold;
        claimTimeout = claimTimeout == null ? Duration.ofSeconds(10) : claimTimeout;
        transactions = transactions == null ? "auto" : transactions;
        aggregateCacheSize = aggregateCacheSize == null ? 5_000 : aggregateCacheSize;
        readAhead = readAhead == null ? 4 : readAhead;
    }
}
