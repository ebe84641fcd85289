package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * A tracking read keeps each writer's order even though one {@code $in} is no snapshot: it can miss an event whose
 * key it looked up a moment before the event's commit landed and find the event the same writer appended next. The
 * reader reads the slots it found empty below a filled one again, so a patient's enrolment is not delivered after the
 * care time that followed it (seen in the import benchmark: {@code monthly-minutes} refused the care time of an
 * enrolment it had not seen, and retried until the gap was read).
 */
class TrackingReadOrderTest {

    private LedgerFixture ledger;

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    @Test
    void anEventMissedByTheFirstLookupIsReadBeforeTheEventItsWriterAppendedNext() {
        ledger = LedgerFixture.inMemory();
        // the first read of the events "misses" index 1: it looked the key up before the first commit landed, and
        // index 2, the same writer's next commit, after it had
        AtomicReference<Set<Long>> missedOnce = new AtomicReference<>();
        LedgerCollections collections = new LedgerCollections(missing(ledger.database(), missedOnce));
        MongoEventStorageEngine engine = ledger.engineBuilder().collections(collections).build();
        engine.appendEvents(TestEvents.counted("patient", 0));
        engine.appendEvents(TestEvents.counted("patient", 1));
        missedOnce.set(Set.of(1L));

        List<? extends TrackedEventMessage<?>> read = engine.readEvents(null, false).toList();

        assertThat(missedOnce.get()).as("the lookup that missed index 1 ran").isNull();
        assertThat(read).extracting(event -> ((DomainEventMessage<?>) event).getSequenceNumber())
                        .containsExactly(0L, 1L);
    }

    /**
     * The database with an events collection whose next {@code find} does not see the given indexes (as a lookup that
     * ran before their commit landed), once.
     */
    private static MongoDatabase missing(MongoDatabase database, AtomicReference<Set<Long>> missedOnce) {
        return proxy(MongoDatabase.class, database, (method, args) -> {
            Object result = method.invoke(database, args);
            if (method.getName().equals("getCollection") && "events".equals(args[0])) {
                @SuppressWarnings("unchecked")
                MongoCollection<Document> events = (MongoCollection<Document>) result;
                return proxy(MongoCollection.class, events, (m, a) -> {
                    Set<Long> missed = m.getName().equals("find") && a != null && a.length == 1
                            && a[0] instanceof Bson ? missedOnce.getAndSet(null) : null;
                    if (missed != null) {
                        return events.find(Filters.and((Bson) a[0], Filters.nin("_id", missed)));
                    }
                    return m.invoke(events, a);
                });
            }
            return result;
        });
    }

    interface Call {
        Object invoke(java.lang.reflect.Method method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, Call call) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            try {
                return call.invoke(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
