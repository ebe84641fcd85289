package org.ccmledger.platform.mongo;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A filter that names one top-level field by plain values, {@code {f: v}} or {@code {f: {$in: [v, …]}}}, as every key
 * lookup of ours is written, matched against a document by one set lookup. mongo-java-server checks each document an
 * index found against the whole filter again, comparing its value with every value of the {@code $in} one by one, each
 * normalized afresh: a lookup of a hundred keys made ten thousand comparisons, a quarter of the embedded server's time
 * in a month close. The answer is the one mongo-java-server's matcher gives: the values are normalized as it normalizes
 * them (a number as a double unless it is a long a double cannot hold, {@code -0.0} as {@code 0.0}) and compared for
 * equality, which is what it does for a plain value against a plain value. Where its rules for other values apply (the
 * document's field holds an array or a document, or nothing) this says nothing ({@link #matches} is {@code null}), and
 * the matcher answers as before. Filters with anything else ({@code null}, a pattern, a document or an array among the
 * values, another operator, a dotted path, more fields) are not key filters ({@link #of} is {@code null}).
 */
final class KeyQuery {

    private final Document query;
    private final String field;
    private final Set<Object> values;

    private KeyQuery(Document query, String field, Set<Object> values) {
        this.query = query;
        this.field = field;
        this.values = values;
    }

    /** The filter as a key filter; {@code null} when it is not one. */
    static KeyQuery of(Document query) {
        if (query.size() != 1) {
            return null;
        }
        Map.Entry<String, Object> only = query.entrySet().iterator().next();
        String field = only.getKey();
        if (field.isEmpty() || field.startsWith("$") || field.indexOf('.') >= 0) {
            return null;
        }
        Object condition = only.getValue();
        List<?> wanted;
        if (condition instanceof Document operator) {
            if (operator.size() != 1 || !(operator.get("$in") instanceof List<?> in)) {
                return null;
            }
            wanted = in;
        } else {
            wanted = List.of(condition == null ? Missing.getInstance() : condition);
        }
        Set<Object> values = new HashSet<>();
        for (Object value : wanted) {
            if (!plain(value)) {
                return null;
            }
            values.add(normalized(value));
        }
        return new KeyQuery(query, field, values);
    }

    /** Whether this was made of {@code query} itself (not an equal one: a filter is not changed while it is used). */
    boolean isOf(Document query) {
        return this.query == query;
    }

    /**
     * Whether the document matches; {@code null} when its field holds an array or a document, or is missing or null,
     * where the matcher's own rules say.
     */
    Boolean matches(Document document) {
        Object value = document.get(field);
        if (!plain(value)) {
            return null;
        }
        return values.contains(normalized(value));
    }

    private static boolean plain(Object value) {
        return value != null && !(value instanceof Missing) && !(value instanceof Map<?, ?>)
               && !(value instanceof Collection<?>) && !(value instanceof Pattern)
               && !(value instanceof BsonRegularExpression) && !value.getClass().isArray();
    }

    /** As mongo-java-server normalizes a value before it compares two for equality. */
    private static Object normalized(Object value) {
        if (value instanceof Long number && number != (long) number.doubleValue()) {
            return value;
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return d == -0.0 ? 0.0 : d;
        }
        return value;
    }
}
