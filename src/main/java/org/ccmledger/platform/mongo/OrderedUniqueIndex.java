package org.ccmledger.platform.mongo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;

/**
 * A unique index of the embedded store over an MVStore map ordered by {@link IndexKeyOrder}: what mongo-java-server's
 * own H2 index does, over a map that compares its keys without serializing them.
 * <p>
 * It also serves a query that requires an exact value of every key of the index and adds conditions on other
 * fields, such as {@code {$and: [{_id: x}, {sequence: {$lt: n}}]}} (a guarded update, as {@code Filters.and} writes
 * it). mongo-java-server uses an index only for a query on exactly the index's keys and scans the whole collection for
 * any other, so each such update read every document of its collection. Here the index finds the one document the
 * keys name, and the collection then applies the whole query to it as it applies it to every document of a scan: the
 * result is the same, found by key.
 */
final class OrderedUniqueIndex extends AbstractUniqueIndex<Object> {

    private final MVMap<KeyValue, Object> map;

    OrderedUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.map = map;
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        if (super.canHandle(query)) {
            return true;
        }
        Document keyed = byKeys(query);
        return keyed != null && super.canHandle(keyed);
    }

    @Override
    public synchronized Iterable<Object> getPositions(Document query) {
        Document keyed = super.canHandle(query) ? query : byKeys(query);
        Collection<?> in = plainIn(keyed);
        return in == null ? super.getPositions(keyed) : positionsOf(in);
    }

    /** The values of {@code {key: {$in: [...]}}} on this one-key index when all are plain; {@code null} otherwise. */
    private Collection<?> plainIn(Document keyed) {
        if (isCompoundIndex() || !(keyed.get(keys().get(0)) instanceof Document condition) || condition.size() != 1
                || !(condition.get("$in") instanceof Collection<?> values)) {
            return null;
        }
        return values.stream().allMatch(OrderedUniqueIndex::plain) ? values : null;
    }

    /**
     * The positions of the documents holding any of the values, each once, in the index's order: what the library does
     * for {@code $in}, which sorts the values first with its generic value comparator (a type lookup at each
     * comparison: 4 % of a read model's rebuild, whose tracking reads ask for 500 global indexes at a time), but
     * sorted by this index's own order, {@link IndexKeyOrder}. A value is looked up as the index keeps it,
     * normalized (a number as a double where one holds it).
     */
    private List<Object> positionsOf(Collection<?> values) {
        TreeSet<KeyValue> keys = new TreeSet<>(IndexKeyOrder::compareKeys);
        for (Object value : values) {
            keys.add(new KeyValue(value).normalized());
        }
        List<Object> positions = new ArrayList<>(keys.size());
        for (KeyValue key : keys) {
            Object position = map.get(key);
            if (position != null) {
                positions.add(position);
            }
        }
        return positions;
    }

    /**
     * The exact values a query requires of this index's keys, as a query on those keys alone, when it requires one for
     * each of them (for an index of one key, {@code $in} of values counts); {@code null} otherwise. A value is required
     * when the query names it at its top level or in a top-level {@code $and}, which is how the Java driver writes
     * {@code Filters.and(...)}: every document the query matches has it, so the index's documents with it are the
     * only ones the query can match.
     */
    private Document byKeys(Document query) {
        Map<String, Object> required = new HashMap<>();
        collectRequired(query, required);
        Document keyed = new Document();
        for (String key : keys()) {
            Object value = required.get(key);
            if (value == null) {
                return null;
            }
            keyed.put(key, value);
        }
        return keyed;
    }

    private void collectRequired(Document query, Map<String, Object> required) {
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            if ("$and".equals(condition.getKey()) && condition.getValue() instanceof List<?> all) {
                for (Object part : all) {
                    if (part instanceof Document partQuery) {
                        collectRequired(partQuery, required);
                    }
                }
            } else if (keySet().contains(condition.getKey()) && exact(condition.getValue())) {
                required.putIfAbsent(condition.getKey(), condition.getValue());
            }
        }
    }

    /** A plain value (not null, a pattern, an array or a condition), or {@code $in} of plain values. */
    private boolean exact(Object value) {
        if (value instanceof Document condition) {
            return !isCompoundIndex() && condition.size() == 1 && condition.get("$in") instanceof List<?> values
                   && values.stream().allMatch(OrderedUniqueIndex::plain);
        }
        return plain(value);
    }

    private static boolean plain(Object value) {
        return value != null && !(value instanceof Document) && !(value instanceof java.util.Collection<?>)
               && !(value instanceof java.util.regex.Pattern) && !BsonRegularExpression.isRegularExpression(value);
    }

    @Override
    protected Object removeDocument(KeyValue key) {
        return map.remove(key);
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, Object position) {
        return map.putIfAbsent(key, Missing.ofNullable(position)) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
        return map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue key) {
        return map.get(key);
    }

    @Override
    public long getCount() {
        return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }
}
