package org.ccmledger.billing.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * An add-on code that belongs on the initiating visit's claim, not on the CCM claim (R9): G0506, comprehensive
 * assessment and care planning, global ZZZ in the CMS file, billed once per patient with its base code (the visit's
 * E/M 99202–99215, AWV G0438/G0439 or IPPE G0402), on the visit's date, by the practitioner who furnished the visit.
 *
 * @param code          the add-on, {@code G0506}
 * @param baseCode      the visit's own code; {@code null} for a visit recorded before base codes were (flagged R9)
 * @param visitDate     the visit's date: the add-on's date of service
 * @param practitioner  the NPI of the practitioner who furnished the visit
 * @param unitAmount    the add-on's allowed amount, {@code null} when the fee data has none
 * @param basis         how that amount was reached
 * @param visit         the event that recorded the visit
 * @param baseUnitAmount the base code's allowed amount when the fee data prices it (an imported CMS file does),
 *                      else {@code null}: the visit itself is billed by the practice, not priced here
 */
public record VisitAddOn(String code, String baseCode, LocalDate visitDate, String practitioner,
                         BigDecimal unitAmount, String basis, EventRef visit, BigDecimal baseUnitAmount) {

    public VisitAddOn {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(visitDate, "visitDate");
        Objects.requireNonNull(practitioner, "practitioner");
    }

    public Amount amount() {
        return unitAmount == null ? Amount.unknown() : Amount.of(unitAmount);
    }
}
