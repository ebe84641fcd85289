package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.mongodb.ConnectionString;

/**
 * HIPAA 164.312(e), transmission security: a MongoDB reached without TLS is named in a warning at start, and the
 * warning never repeats the URI's credentials.
 */
@ExtendWith(OutputCaptureExtension.class)
class MongoTransportWarningTest {

    @Test
    void aConnectionWithoutTlsIsWarnedAboutWithoutItsPassword(CapturedOutput output) {
        boolean warned = MongoConfiguration.warnUnlessEncrypted(
                new ConnectionString("mongodb://ledger:s3cret-pw@db1:27017,db2:27017/?replicaSet=rs0"));

        assertThat(warned).isTrue();
        assertThat(output).contains("without TLS").contains("db1:27017").doesNotContain("s3cret-pw");
    }

    @Test
    void aConnectionWithTlsIsNotWarnedAbout(CapturedOutput output) {
        assertThat(MongoConfiguration.warnUnlessEncrypted(
                new ConnectionString("mongodb://db1:27017/?replicaSet=rs0&tls=true"))).isFalse();
        assertThat(MongoConfiguration.warnUnlessEncrypted(
                new ConnectionString("mongodb://db1:27017/?ssl=true"))).isFalse();
        assertThat(output).doesNotContain("without TLS");
    }
}
