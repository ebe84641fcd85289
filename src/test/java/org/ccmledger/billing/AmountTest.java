package org.ccmledger.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.ccmledger.billing.api.Amount;
import org.ccmledger.billing.api.BillingLine;
import org.ccmledger.billing.api.Total;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AmountTest {

    @Test
    @DisplayName("R15: amounts have scale 2 and render as decimal strings")
    void knownAmount() {
        assertThat(Amount.of("60.5")).hasToString("60.50");
        assertThat(Amount.of("45.93").times(2)).isEqualTo(Amount.of("91.86"));
        assertThatThrownBy(() -> Amount.of("60.495")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amount.of("-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("R15: an unknown amount renders as unknown, stays unknown when multiplied, and is never 0")
    void unknownAmount() {
        assertThat(Amount.unknown()).hasToString("unknown");
        assertThat(Amount.unknown().times(2).known()).isFalse();
        assertThat(Amount.unknown()).isNotEqualTo(Amount.of("0"));
    }

    @Test
    @DisplayName("R15: a total over an unknown line keeps its known part and names the unknown code")
    void totalWithUnknownLine() {
        Total total = Total.of(List.of(new BillingLine("99490", 1, Amount.of("66.13")),
                                       new BillingLine("99439", 2, Amount.unknown())));

        assertThat(total.knownPart()).isEqualByComparingTo("66.13");
        assertThat(total.unknownCodes()).containsExactly("99439");
        assertThat(total).hasToString("66.13 + unknown (99439)");
        assertThat(total.amount()).isEqualTo(Amount.unknown());
    }
}
