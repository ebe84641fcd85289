package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;

/** {@link IndexKeyOrder}: a total order over index keys, equal exactly when the keys are equal. */
class IndexKeyOrderTest {

    private final IndexKeyOrder order = new IndexKeyOrder();

    @Test
    void equalKeysCompareEqualAndDifferentKeysDo_not() {
        assertThat(order.compare(new KeyValue("a", 1L), new KeyValue("a", 1L))).isZero();
        assertThat(order.compare(new KeyValue(new Document("x", 1)), new KeyValue(new Document("x", 1)))).isZero();
        assertThat(order.compare(new KeyValue(Missing.getInstance()), new KeyValue(Missing.getInstance()))).isZero();
        assertThat(order.compare(new KeyValue("a", 1L), new KeyValue("a", 2L))).isNegative();
        assertThat(order.compare(new KeyValue("b"), new KeyValue("a"))).isPositive();
        assertThat(order.compare(new KeyValue("a"), new KeyValue("a", 1L))).isNegative();
        assertThat(order.compare(new KeyValue(1L), new KeyValue("1"))).isNotZero();
        assertThat(order.compare(new KeyValue((Object) null), new KeyValue("a"))).isNegative();
        assertThat(order.compare(new KeyValue(new Document("x", 1)), new KeyValue(new Document("x", 2)))).isNotZero();
    }

    @Test
    void isATotalOrderOverMixedKeys() {
        Random random = new Random(7);
        List<KeyValue> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add(switch (random.nextInt(5)) {
                case 0 -> new KeyValue("p-" + random.nextInt(50));
                case 1 -> new KeyValue((long) random.nextInt(50));
                case 2 -> new KeyValue("p-" + random.nextInt(5), (long) random.nextInt(5));
                case 3 -> new KeyValue(new Document("k", random.nextInt(5)));
                default -> new KeyValue(random.nextInt(3) == 0 ? null : random.nextDouble());
            });
        }
        for (KeyValue a : keys) {
            for (KeyValue b : keys) {
                int ab = Integer.signum(order.compare(a, b));
                assertThat(ab).isEqualTo(-Integer.signum(order.compare(b, a)));
                assertThat(ab == 0).isEqualTo(a.equals(b));
            }
        }
        List<KeyValue> sorted = new ArrayList<>(keys);
        sorted.sort(order::compare);
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(order.compare(sorted.get(i - 1), sorted.get(i))).isNotPositive();
            if (i > 1) {
                assertThat(order.compare(sorted.get(i - 2), sorted.get(i))).isNotPositive();
            }
        }
    }
}
