package org.ccmledger.patient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ccmledger.platform.problem.Refusal;
import org.junit.jupiter.api.Test;

/** An NPI is ten ASCII digits whose last is the Luhn check digit over 80840 and the first nine (CMS). */
class NpiTest {

    @Test
    void acceptsTenDigitsWithTheirCheckDigit() {
        // CMS's worked example: 123456789 has the check digit 3
        assertThat(new Npi("1234567893").value()).isEqualTo("1234567893");
        assertThat(Npi.checkDigitValid("1245319599")).isTrue();
    }

    @Test
    void refusesAnyOtherCheckDigitLengthOrCharacter() {
        for (int wrong = 0; wrong <= 9; wrong++) {
            if (wrong != 3) {
                String npi = "123456789" + wrong;
                assertThatThrownBy(() -> new Npi(npi)).as(npi).isInstanceOf(Refusal.class)
                        .extracting(e -> ((Refusal) e).code()).isEqualTo("INVALID_NPI");
            }
        }
        for (String malformed : new String[] {null, "", "123456789", "12345678933", "12345678a3", " 234567893",
                                              "１２３４５６７８９３"}) {
            assertThatThrownBy(() -> new Npi(malformed)).as(String.valueOf(malformed)).isInstanceOf(Refusal.class)
                    .extracting(e -> ((Refusal) e).code()).isEqualTo("INVALID_NPI");
        }
    }
}
