package org.ccmledger.ledger;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;

import org.axonframework.serialization.Serializer;

import com.mongodb.client.MongoDatabase;

/** Builder of {@link MongoTokenStore}; the database and serializer are required. */
public class MongoTokenStoreBuilder {

    // read by the store's constructor (same package); set only through the methods below
    MongoDatabase database;
    Serializer serializer;
    Duration claimTimeout = Duration.ofSeconds(10);
    String nodeId = ManagementFactory.getRuntimeMXBean().getName();
    Clock clock = Clock.systemUTC();
    Duration deferAdvances = Duration.ZERO;

    public MongoTokenStoreBuilder database(MongoDatabase database) {
        this.database = database;
        return this;
    }

    public MongoTokenStoreBuilder serializer(Serializer serializer) {
        this.serializer = serializer;
        return this;
    }

    /** How long a claim holds without being extended. Default 10 seconds. */
    public MongoTokenStoreBuilder claimTimeout(Duration claimTimeout) {
        this.claimTimeout = claimTimeout;
        return this;
    }

    /** This node's identity as a token owner. Default {@code <pid>@<host>}. */
    public MongoTokenStoreBuilder nodeId(String nodeId) {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * How long a token advanced by a batch that handled no event may stay unwritten (see {@link MongoTokenStore});
     * also lets a claim extension with nothing to write be skipped while the claim is young. Default zero: every token
     * and extension written at once.
     */
    public MongoTokenStoreBuilder deferAdvances(Duration deferAdvances) {
        if (deferAdvances.isNegative()) {
            throw new IllegalArgumentException("deferAdvances must not be negative");
        }
        this.deferAdvances = deferAdvances;
        return this;
    }

    public MongoTokenStoreBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public MongoTokenStore build() {
        return new MongoTokenStore(this);
    }
}
