package org.ccmledger;

import java.util.List;

import org.ccmledger.platform.cli.ImportCommand;
import org.ccmledger.platform.mongo.EmbeddedMongoCommand;
import org.ccmledger.platform.security.DevTokenCommand;
import org.ccmledger.platform.storage.StorageCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * ccm-ledger: an event-sourced audit ledger for Medicare Chronic Care Management.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CcmLedgerApplication {

    /**
     * Runs the service; {@code mint-token …} instead prints a token of the local development issuer
     * ({@link DevTokenCommand}), and {@code import-fee-schedule …} or {@code import-icd10cm …} load reference data into
     * a running service ({@link ImportCommand}), without starting anything; {@code backup}, {@code restore} and
     * {@code data-key} keep the embedded store's file ({@link StorageCommand}); {@code embedded-mongo} runs the embedded
     * MongoDB-wire server alone, for development and tests with several instances ({@link EmbeddedMongoCommand}).
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(EmbeddedMongoCommand.NAME)) {
            quietLibraries();
            int status = EmbeddedMongoCommand.run(List.of(args).subList(1, args.length), System.getenv(), System.out,
                                                  System.err);
            if (status != 0) {
                System.exit(status);
            }
            return;
        }
        if (args.length > 0 && StorageCommand.NAMES.contains(args[0])) {
            System.exit(StorageCommand.run(args[0], List.of(args).subList(1, args.length), System.getenv(),
                                           System.out, System.err));
        }
        if (args.length > 0 && ImportCommand.NAMES.contains(args[0])) {
            System.exit(ImportCommand.run(args[0], List.of(args).subList(1, args.length), System.getenv(), System.out,
                                          System.err));
        }
        if (args.length > 0 && args[0].equals(DevTokenCommand.NAME)) {
            int status = DevTokenCommand.run(List.of(args).subList(1, args.length), System.getenv(), System.out,
                                             System.err);
            if (status != 0) {
                System.exit(status);
            }
            return;
        }
        SpringApplication.run(CcmLedgerApplication.class, args);
    }

    /** Without Spring Boot's logging set-up Logback logs everything at DEBUG: INFO, as the service does. */
    private static void quietLibraries() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }
}
