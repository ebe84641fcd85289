package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;

import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientDied;
import org.junit.jupiter.api.Test;

/** Stored type names are data: a class that moved keeps the name its events were first written under. */
class StableTypeNamesTest {

    private final StableTypeNames serializer = StableTypeNames.serializer(LedgerJson.mapper(),
                                                                           new AnnotationRevisionResolver());

    @Test
    void anEventOfAMovedClassIsStoredUnderItsFirstName() {
        SerializedObject<String> stored = serializer.serialize(
                new PatientDied(EnrollmentId.of("p1", "pt-1"), LocalDate.parse("2026-10-10")), String.class);

        assertThat(stored.getType().getName()).isEqualTo("org.ccmledger.enrollment.api.PatientDied");
        assertThat(stored.getType().getRevision()).isEqualTo("1");
    }

    @Test
    void anEventStoredBeforeTheMoveLoadsAsTodaysClass() {
        Object loaded = serializer.deserialize(new SimpleSerializedObject<>(
                "{\"enrollmentId\":{\"practiceId\":\"p1\",\"patientId\":\"pt-1\"},\"dateOfDeath\":\"2026-10-10\"}",
                String.class, "org.ccmledger.enrollment.api.PatientDied", "1"));

        assertThat(loaded).isEqualTo(new PatientDied(EnrollmentId.of("p1", "pt-1"), LocalDate.parse("2026-10-10")));
    }

    @Test
    void classesThatNeverMovedKeepTheirNames() {
        assertThat(StableTypeNames.storedName(TimeEntryId.class.getName())).isEqualTo(TimeEntryId.class.getName());
        assertThat(StableTypeNames.className("org.ccmledger.caretime.api.CareMinutesLogged"))
                .isEqualTo("org.ccmledger.caretime.api.CareMinutesLogged");
    }

    @Test
    void aStoredNameResolvesToTodaysClassEachTimeAndAnUnknownOneToUnknown() {
        var moved = new org.axonframework.serialization.SimpleSerializedType(
                "org.ccmledger.enrollment.api.PatientDied", "1");
        assertThat(serializer.classForType(moved)).isEqualTo(PatientDied.class);
        assertThat(serializer.classForType(moved)).isEqualTo(PatientDied.class);
        var unknown = new org.axonframework.serialization.SimpleSerializedType("org.ccmledger.NoSuchEvent", "1");
        assertThat(serializer.classForType(unknown))
                .isEqualTo(org.axonframework.serialization.UnknownSerializedType.class);
        assertThat(serializer.classForType(org.axonframework.serialization.SimpleSerializedType.emptyType()))
                .isEqualTo(Void.class);
    }

    @Test
    void storedTextIsReadAsAxonsOwnPathReadsItsBytesAndEverythingElseGoesAxonsWay() {
        PatientDied died = new PatientDied(EnrollmentId.of("p1", "pt-1"), LocalDate.parse("2026-10-10"));
        SerializedObject<String> text = serializer.serialize(died, String.class);
        SerializedObject<byte[]> bytes = new SimpleSerializedObject<>(
                text.getData().getBytes(StandardCharsets.UTF_8), byte[].class, text.getType());

        assertThat((Object) serializer.deserialize(text)).isEqualTo(died);
        assertThat((Object) serializer.deserialize(bytes)).isEqualTo(died);
        SerializedObject<String> metaData = serializer.serialize(MetaData.from(Map.of("actor", "u-1")), String.class);
        assertThat((Object) serializer.deserialize(metaData)).isEqualTo(MetaData.from(Map.of("actor", "u-1")));
        assertThat((Object) serializer.deserialize(new SimpleSerializedObject<>(
                "{}", String.class, org.axonframework.serialization.SimpleSerializedType.emptyType()))).isNull();
        assertThat((Object) serializer.deserialize(new SimpleSerializedObject<>(
                "{}", String.class, "org.ccmledger.NoSuchEvent", "1")))
                .isInstanceOf(org.axonframework.serialization.UnknownSerializedType.class);
        assertThatThrownBy(() -> serializer.deserialize(new SimpleSerializedObject<>(
                "{\"enrollmentId\":", String.class, text.getType())))
                .isInstanceOf(SerializationException.class).hasMessageNotContaining("pt-1");
    }

    @Test
    void aClassesReaderIsMadeOnceAndSharedItsTypesApart() {
        assertThat(serializer.getReader(PatientDied.class)).isSameAs(serializer.getReader(PatientDied.class))
                                                           .isNotSameAs(serializer.getReader(TimeEntryId.class));
    }
}
