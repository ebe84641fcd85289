package org.ccmledger.platform.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written check says what the regular expressions it replaced say, for any string. */
class IdFormatTest {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern STAFF_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    /** The format's own regular expression, and the form fields' pattern (which a browser reads with the v flag). */
    private static final Pattern REGEX = Pattern.compile(IdFormat.REGEX);
    private static final Pattern HTML = Pattern.compile(IdFormat.HTML_PATTERN);

    @Property(tries = 5000)
    void agreesWithTheRegularExpressions(@ForAll("candidates") String value) {
        assertThat(IdFormat.isId(value)).as(value).isEqualTo(ID.matcher(value).matches());
        assertThat(IdFormat.isStaffId(value)).as(value).isEqualTo(STAFF_ID.matcher(value).matches());
        assertThat(REGEX.matcher(value).matches()).as(value).isEqualTo(IdFormat.isId(value));
        assertThat(HTML.matcher(value).matches()).as(value).isEqualTo(IdFormat.isId(value));
    }

    /**
     * Half of them mostly characters near the allowed ones (neighbours of each range, '@', '/', spaces, non-ASCII),
     * 0–70 long; half allowed characters only (now and then a slash), 60–70 long, either side of the 64 an id may reach.
     */
    @Provide
    Arbitrary<String> candidates() {
        Arbitrary<String> near = Arbitraries.strings().withChars("azAZ09._-@/`{[:@ \u00e9\u0660\uff21")
                .withCharRange('a', 'c').ofMinLength(0).ofMaxLength(70);
        Arbitrary<String> atTheBound = Arbitraries.strings().withChars("aZ9._-@").withChars("abcdefghij")
                .ofMinLength(60).ofMaxLength(70)
                .edgeCases(edges -> edges.add("x".repeat(64)).add("x".repeat(65)))
                .map(v -> v.hashCode() % 50 == 0 ? v.replace('a', '/') : v);
        return Arbitraries.oneOf(near, atTheBound);
    }

    @Test
    void boundsAndExamples() {
        assertThat(IdFormat.isId("p-1.a_B9")).isTrue();
        assertThat(IdFormat.isId("x".repeat(64))).isTrue();
        assertThat(IdFormat.isId("x".repeat(65))).isFalse();
        assertThat(IdFormat.isId("")).isFalse();
        assertThat(IdFormat.isId(null)).isFalse();
        assertThat(IdFormat.isId("a/b")).isFalse();
        assertThat(IdFormat.isId("nurse@clinic")).isFalse();
        assertThat(IdFormat.isStaffId("nurse@clinic")).isTrue();
        assertThat(IdFormat.isId("\u0660")).as("an Arabic-Indic digit is not an ASCII digit").isFalse();
    }
}
