package org.ccmledger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * ccm-ledger: an event-sourced audit ledger for Medicare Chronic Care Management.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CcmLedgerApplication {

    public static void main(String[] args) {
        SpringApplication.run(CcmLedgerApplication.class, args);
    }
}
