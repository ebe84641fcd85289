package org.ccmledger.platform.mongo;

import java.util.Arrays;

import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.backend.KeyValue;

/**
 * The order of the embedded store's unique-index keys ({@link KeyValue}s): value by value, each by its own
 * {@link Comparable} order when both are of one class, by class name when they are not.
 * <p>
 * H2's default for a key it does not know, {@link ObjectDataType}, orders {@code KeyValue}s (which are not
 * {@code Comparable}) by their Java-serialized bytes, serializing both keys at every comparison: about twenty
 * comparisons per lookup in a tree of 100,000 keys, and a quarter of a month close's CPU at 10,000 patients. This
 * order compares the values as they are. Only values that are not {@code Comparable} (documents, arrays, the
 * missing value) still compare by their serialized bytes, as H2 compared the whole key.
 * <p>
 * This class changes only the order ({@code ObjectDataType} writes the keys); the index maps are written by
 * {@link IndexKeyType}, in this order. A tree ordered one way cannot be searched the other way:
 * {@link OrderedIndexDatabase} rewrites an index written by an earlier version once, when it is opened.
 */
class IndexKeyOrder extends ObjectDataType {

    @Override
    public int compare(Object a, Object b) {
        if (a instanceof KeyValue left && b instanceof KeyValue right) {
            return compareKeys(left, right);
        }
        return super.compare(a, b);
    }

    static int compareKeys(KeyValue left, KeyValue right) {
        if (left == right) {
            return 0;
        }
        int sizes = Integer.compare(left.size(), right.size());
        if (sizes != 0) {
            return sizes;
        }
        for (int i = 0; i < left.size(); i++) {
            int values = compareValues(left.get(i), right.get(i));
            if (values != 0) {
                return values;
            }
        }
        return 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareValues(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        if (a == null || b == null) {
            return a == null ? -1 : 1;
        }
        if (a.getClass() != b.getClass()) {
            return a.getClass().getName().compareTo(b.getClass().getName());
        }
        if (a instanceof Comparable comparable) {
            return comparable.compareTo(b);
        }
        return Arrays.compareUnsigned(serialize(a), serialize(b));
    }
}
