package org.ccmledger.billing.export;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.patient.PostalAddress;
import org.ccmledger.practice.api.PracticeProfile;

import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamWriter;

/**
 * One pass of {@link X12Claims} over a writer: the envelope, the transaction sets of at most so many claims each, their
 * segments counted and their HL loops numbered.
 */
final class X12Interchange {

    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd", Locale.ROOT);
    private static final DateTimeFormatter CCYYMMDD = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm", Locale.ROOT);

    private final EDIStreamWriter writer;
    private final X12Submission submission;
    private final int maxClaimsPerTransaction;
    private int transactionSegments;
    private int hierarchicalIds;

    X12Interchange(EDIStreamWriter writer, X12Submission submission, int maxClaimsPerTransaction) {
        this.writer = writer;
        this.submission = submission;
        this.maxClaimsPerTransaction = maxClaimsPerTransaction;
    }

    void write() throws EDIStreamException {
        X12Envelope envelope = submission.envelope();
        String controlNumber = String.format(Locale.ROOT, "%09d", envelope.interchangeControlNumber());
        String groupNumber = Integer.toString(envelope.interchangeControlNumber());
        LocalDate date = envelope.date();
        LocalTime time = envelope.time();

        writer.startInterchange();
        segment("ISA", "00", " ".repeat(10), "00", " ".repeat(10),
                "ZZ", padded(envelope.senderId()), "ZZ", padded(envelope.receiverId()),
                YYMMDD.format(date), HHMM.format(time), "^", "00501", controlNumber, "0", envelope.usage(), ":");
        segment("GS", "HC", envelope.senderId(), envelope.receiverId(), CCYYMMDD.format(date), HHMM.format(time),
                groupNumber, "X", X12Claims.IMPLEMENTATION);

        List<List<List<X12Submission.X12Claim>>> transactions = transactions(byPatient(submission.claims()),
                                                                              maxClaimsPerTransaction);
        for (int t = 0; t < transactions.size(); t++) {
            transaction(String.format(Locale.ROOT, "%04d", t + 1),
                        t == 0 ? groupNumber : groupNumber + "-" + (t + 1), transactions.get(t));
        }
        segment("GE", Integer.toString(transactions.size()), groupNumber);
        segment("IEA", "1", controlNumber);
        writer.endInterchange();
    }

    /**
     * One transaction set (ST … SE): the submitter, receiver and billing provider again, then these patients'
     * claims; HL ids start at 1 in each.
     *
     * @param controlNumber ST02 and SE02, unique in the group
     * @param reference     BHT03, the batch's reference for the payer's acknowledgements
     */
    private void transaction(String controlNumber, String reference, List<List<X12Submission.X12Claim>> patients)
            throws EDIStreamException {
        X12Envelope envelope = submission.envelope();
        LocalDate date = envelope.date();
        LocalTime time = envelope.time();
        transactionSegments = 0;
        hierarchicalIds = 0;
        segment("ST", "837", controlNumber, X12Claims.IMPLEMENTATION);
        segment("BHT", "0019", "00", reference, CCYYMMDD.format(date), HHMM.format(time), "CH");
        // 1000A submitter with its contact, 1000B receiver
        segment("NM1", "41", "2", submission.submitter().name(), null, null, null, null, "46",
                submission.submitter().id());
        PracticeProfile.Contact contact = submission.contact();
        if (contact.email() == null) {
            segment("PER", "IC", contact.name(), "TE", contact.phone());
        } else {
            segment("PER", "IC", contact.name(), "TE", contact.phone(), "EM", contact.email());
        }
        segment("NM1", "40", "2", submission.receiver().name(), null, null, null, null, "46",
                submission.receiver().id());
        // 2000A billing provider: taxonomy, 2010AA name and NPI, address, tax id
        X12Submission.BillingProvider provider = submission.provider();
        int providerHl = hierarchicalLevel(null, "20", true);
        segment("PRV", "BI", "PXC", provider.taxonomyCode());
        segment("NM1", "85", "2", provider.name(), null, null, null, null, "XX", provider.npi());
        address(provider.address());
        segment("REF", provider.taxIdQualifier(), provider.taxId());
        for (List<X12Submission.X12Claim> patient : patients) {
            PatientIdentity subscriber = patient.get(0).subscriber();
            hierarchicalLevel(providerHl, "22", false);
            // the patient is the subscriber (18: self) of Medicare Part B (MB)
            segment("SBR", "P", "18", null, null, null, null, null, null, "MB");
            // 2010BA subscriber: name and MBI, address, birth date and sex
            segment("NM1", "IL", "1", subscriber.familyName(), subscriber.givenName(), null, null, null, "MI",
                    subscriber.mbi());
            address(subscriber.address());
            segment("DMG", "D8", CCYYMMDD.format(subscriber.birthDate()), subscriber.sex());
            // 2010BB payer
            segment("NM1", "PR", "2", submission.payer().name(), null, null, null, null, "PI",
                    submission.payer().id());
            for (X12Submission.X12Claim claim : patient) {
                claim(claim, provider.npi());
            }
        }
        segment("SE", Integer.toString(transactionSegments + 1), controlNumber);
    }

    private void address(PostalAddress address) throws EDIStreamException {
        if (address.line2() == null) {
            segment("N3", address.line1());
        } else {
            segment("N3", address.line1(), address.line2());
        }
        segment("N4", address.city(), address.state(), address.zip());
    }

    private void claim(X12Submission.X12Claim sent, String providerNpi) throws EDIStreamException {
        Claim claim = sent.claim();
        BigDecimal total = claim.items().stream().map(Claim.Item::lineAmount).reduce(BigDecimal.ZERO,
                                                                                      BigDecimal::add);
        segment("CLM", sent.controlNumber(), X12Claims.decimal(total), null, null,
                List.of(claim.placeOfService(), "B", sent.frequency()), "Y", "A", "Y", "Y");
        if (sent.payerReference() != null) {
            segment("REF", "F8", sent.payerReference());
        }
        List<Object> diagnoses = new ArrayList<>();
        for (int i = 0; i < claim.diagnoses().size(); i++) {
            diagnoses.add(List.of(i == 0 ? "ABK" : "ABF", X12Claims.icd10WithoutDot(claim.diagnoses().get(i))));
        }
        segment("HI", diagnoses.toArray());
        if (!claim.billingPractitioner().equals(providerNpi) && sent.rendering() != null) {
            // 2310B rendering provider: the billing practitioner who furnished the care (R6)
            segment("NM1", "82", "1", sent.rendering().familyName(), sent.rendering().givenName(), null, null,
                    null, "XX", claim.billingPractitioner());
        }
        for (Claim.Item item : claim.items()) {
            segment("LX", Integer.toString(item.sequence()));
            segment("SV1", List.of("HC", item.code()), X12Claims.decimal(item.lineAmount()), "UN",
                    Integer.toString(item.units()), null, null,
                    item.diagnosisPointers().stream().map(String::valueOf).toList());
            segment("DTP", "472", "D8", CCYYMMDD.format(item.servicedDate()));
        }
    }

    /** Writes an HL segment and returns its id. */
    private int hierarchicalLevel(Integer parent, String levelCode, boolean hasChildren)
            throws EDIStreamException {
        int id = ++hierarchicalIds;
        segment("HL", Integer.toString(id), parent == null ? null : parent.toString(), levelCode,
                hasChildren ? "1" : "0");
        return id;
    }

    /**
     * Writes one segment. Each element is a {@code String}, {@code null} for an empty element, or a
     * {@code List<String>} for a composite.
     */
    private void segment(String tag, Object... elements) throws EDIStreamException {
        writer.writeStartSegment(tag);
        for (Object element : elements) {
            if (element == null) {
                writer.writeEmptyElement();
            } else if (element instanceof List<?> components) {
                writer.writeStartElement();
                for (Object component : components) {
                    writer.writeComponent(component.toString());
                }
                writer.endElement();
            } else {
                writer.writeElement(element.toString());
            }
        }
        writer.writeEndSegment();
        transactionSegments++;
    }

    private static String padded(String id) {
        return String.format(Locale.ROOT, "%-15s", id);
    }

    private static List<List<X12Submission.X12Claim>> byPatient(List<X12Submission.X12Claim> claims) {
        Map<String, List<X12Submission.X12Claim>> groups = new LinkedHashMap<>();
        for (X12Submission.X12Claim claim : claims) {
            groups.computeIfAbsent(claim.claim().patientId(), key -> new ArrayList<>()).add(claim);
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * The patients cut into transaction sets of at most {@code max} claims, in their order; a patient's claims
     * stay in one set (a subscriber loop cannot span two), so a set holds more only when one patient has more.
     */
    private static List<List<List<X12Submission.X12Claim>>> transactions(
            List<List<X12Submission.X12Claim>> patients, int max) {
        List<List<List<X12Submission.X12Claim>>> transactions = new ArrayList<>();
        List<List<X12Submission.X12Claim>> current = new ArrayList<>();
        int claims = 0;
        for (List<X12Submission.X12Claim> patient : patients) {
            if (!current.isEmpty() && claims + patient.size() > max) {
                transactions.add(current);
                current = new ArrayList<>();
                claims = 0;
            }
            current.add(patient);
            claims += patient.size();
        }
        transactions.add(current);
        return transactions;
    }
}
