package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * Key filters matched by a set lookup ({@link KeyQuery}) answer what mongo-java-server's own matcher answers, for every
 * filter and document tried, including numbers of different types that compare equal, zeros of both signs, longs a
 * double cannot hold, and fields holding arrays, documents or nothing (where it leaves the answer to the matcher).
 */
class KeyQueryTest {

    private static final List<Object> VALUES = List.of(
            "p-1", "p-2", "", 1, 1L, 1.0, 2, -0.0, 0.0, 0, (1L << 53) + 1, (1L << 53) + 2, (double) ((1L << 53) + 2),
            true, false, new ObjectId("65a1f0c2e4b0a1b2c3d4e5f6"), new ObjectId("65a1f0c2e4b0a1b2c3d4e5f7"),
            Instant.ofEpochSecond(1_767_225_600L), Instant.ofEpochSecond(1_767_225_601L));

    private final DefaultQueryMatcher matcher = new DefaultQueryMatcher();
    private final Random random = new Random(16);

    @Test
    void answersWhatTheMatcherAnswersForEveryKeyFilterTried() {
        int answered = 0;
        for (int i = 0; i < 20_000; i++) {
            Document query = keyFilter();
            Document document = document();
            KeyQuery keyed = KeyQuery.of(query);
            assertThat(keyed).as("%s is a key filter", query).isNotNull();
            Boolean matches = keyed.matches(document);
            if (matches != null) {
                answered++;
                assertThat(matches).as("%s against %s", query, document).isEqualTo(matcher.matches(document, query));
            }
        }
        // most documents hold a plain value: the set answers them
        assertThat(answered).isGreaterThan(10_000);
    }

    @Test
    void leavesFieldsHoldingArraysDocumentsOrNothingToTheMatcher() {
        KeyQuery keyed = KeyQuery.of(new Document("k", new Document("$in", List.of("a", "b"))));
        assertThat(keyed.matches(new Document("k", List.of("a", "z")))).isNull();
        assertThat(keyed.matches(new Document("k", new Document("x", "a")))).isNull();
        assertThat(keyed.matches(new Document("other", "a"))).isNull();
        assertThat(keyed.matches(new Document("k", null))).isNull();
        assertThat(keyed.matches(new Document("k", "a"))).isTrue();
        assertThat(keyed.matches(new Document("k", "c"))).isFalse();
    }

    @Test
    void filtersThatAreNotKeyFiltersAreLeftToTheMatcher() {
        for (Document query : List.of(new Document(), new Document("a", 1).append("b", 2),
                                      new Document("a.b", 1), new Document("$or", List.of(new Document("a", 1))),
                                      new Document("a", null), new Document("a", new Document("x", 1)),
                                      new Document("a", List.of(1, 2)), new Document("a", Pattern.compile("^p")),
                                      new Document("a", new Document("$regex", "^p")),
                                      new Document("a", new Document("$in", List.of(1, List.of(2)))),
                                      new Document("a", new Document("$in", java.util.Arrays.asList(1, null))),
                                      new Document("a", new Document("$gt", 1)),
                                      new Document("a", new Document("$in", List.of(1)).append("$nin", List.of(2))))) {
            assertThat(KeyQuery.of(query)).as("%s", query).isNull();
        }
    }

    @Test
    void isReusedOnlyForTheVeryFilterItWasMadeOf() {
        Document query = new Document("_id", "p-1");
        KeyQuery keyed = KeyQuery.of(query);
        assertThat(keyed.isOf(query)).isTrue();
        assertThat(keyed.isOf(new Document("_id", "p-1"))).isFalse();
    }

    private Document keyFilter() {
        if (random.nextBoolean()) {
            return new Document("k", value());
        }
        List<Object> in = new ArrayList<>();
        for (int n = random.nextInt(5); n >= 0; n--) {
            in.add(value());
        }
        return new Document("k", new Document("$in", in));
    }

    private Document document() {
        return switch (random.nextInt(10)) {
            case 0 -> new Document("k", List.of(value(), value()));
            case 1 -> new Document("k", new Document("x", value()));
            case 2 -> new Document("other", value());
            default -> new Document("k", value()).append("other", value());
        };
    }

    private Object value() {
        return VALUES.get(random.nextInt(VALUES.size()));
    }
}
