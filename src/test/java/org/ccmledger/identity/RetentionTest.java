package org.ccmledger.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RetentionTest {

    @Test
    @DisplayName("R18: records of a service on 10 March 2019 are kept through 10 March 2026, erasable from the 11th")
    void sevenYearsFromTheLastDateOfService() {
        Instant last = Instant.parse("2019-03-10T23:30:00Z");

        assertThat(Retention.erasableFrom(last)).isEqualTo(LocalDate.of(2026, 3, 11));
        assertThat(Retention.over(last, LocalDate.of(2026, 3, 10))).isFalse();
        assertThat(Retention.over(last, LocalDate.of(2026, 3, 11))).isTrue();
        assertThat(Retention.over(last, LocalDate.of(2019, 3, 11))).isFalse();
    }

    @Test
    @DisplayName("R18: a record changed on 29 February is kept through 28 February seven years on")
    void leapDay() {
        assertThat(Retention.erasableFrom(Instant.parse("2024-02-29T12:00:00Z"))).isEqualTo(LocalDate.of(2031, 3, 1));
    }
}
