package org.ccmledger;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The package-by-feature boundaries of ../shared/docs/style.md, enforced. */
class ArchitectureTest {

    private static final List<String> FEATURES = List.of("enrollment", "consent", "caretime", "careplan", "billing",
                                                         "codeset", "practice", "identity",
                                                         "audit", "integrity", "onboarding", "console");
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ccmledger");

    @Test
    void aFeatureUsesAnotherOnlyThroughItsApi() {
        for (String feature : FEATURES) {
            for (String other : FEATURES) {
                if (feature.equals(other)) {
                    continue;
                }
                noClasses().that().resideInAPackage("org.ccmledger." + feature + "..")
                           .should().dependOnClassesThat(resideInAPackage("org.ccmledger." + other + "..")
                                                                 .and(not(resideInAPackage(
                                                                         "org.ccmledger." + other + ".api.."))))
                           .check(CLASSES);
            }
        }
    }

    /**
     * Features build on each other in one direction only: the shared kernel ({@code patient}) under all, consent, care
     * time and care plans on it, the enrollment aggregate on those, billing and audit on top. A cycle means a rule or
     * an id sits in the wrong feature.
     */
    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("org.ccmledger.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    /** Billing's parts follow its flow: rules, then the read model, then statements, then exports. */
    @Test
    void billingPartsHaveNoCycles() {
        slices().matching("org.ccmledger.billing.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    /** The shared kernel holds ids and the patient's messages: it depends on no feature and on no framework. */
    @Test
    void theSharedKernelDependsOnNoFeature() {
        noClasses().that().resideInAPackage("org.ccmledger.patient..")
                   .should().dependOnClassesThat().resideInAnyPackage(
                           "org.ccmledger.enrollment..", "org.ccmledger.consent..", "org.ccmledger.caretime..",
                           "org.ccmledger.careplan..", "org.ccmledger.billing..", "org.ccmledger.audit..",
                           "org.ccmledger.integrity..", "org.ccmledger.ledger..", "org.springframework..",
                           "com.mongodb..")
                   .check(CLASSES);
    }

    @Test
    void theLedgerKnowsNothingOfTheDomainOrTheWeb() {
        noClasses().that().resideInAPackage("org.ccmledger.ledger..")
                   .should().dependOnClassesThat().resideInAnyPackage(
                           "org.ccmledger.patient..", "org.ccmledger.enrollment..", "org.ccmledger.consent..",
                           "org.ccmledger.caretime..", "org.ccmledger.careplan..", "org.ccmledger.billing..",
                           "org.ccmledger.audit..", "org.ccmledger.integrity..",
                           "org.ccmledger.platform..",
                           "org.springframework..")
                   .check(CLASSES);
    }

    @Test
    void apiPackagesHoldOnlyMessagesAndIdsWithoutSpring() {
        noClasses().that().resideInAPackage("org.ccmledger.*.api..")
                   .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "com.mongodb..")
                   .check(CLASSES);
    }

    @Test
    void aggregatesStayFreeOfSpringAndTheDatabase() {
        noClasses().that().areAnnotatedWith(org.axonframework.spring.stereotype.Aggregate.class)
                   .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "com.mongodb..",
                                                                      "reactor..")
                   .check(CLASSES);
    }

    /**
     * No handler tells a replay from live handling: processors start without Axon's replay wrapper
     * ({@code PlainStartProcessing}), so a handler marked to skip replays, or asking whether it replays, would be
     * handed a new or rebuilt processor's history as live events. One that must not see history needs another guard.
     */
    @Test
    void noHandlerAsksWhetherItReplays() {
        noClasses().should().dependOnClassesThat().belongToAnyOf(org.axonframework.eventhandling.DisallowReplay.class,
                                                                 org.axonframework.eventhandling.AllowReplay.class,
                                                                 org.axonframework.eventhandling.ReplayStatus.class)
                   .check(CLASSES);
    }

    /**
     * A read model can be rebuilt by the service: a class of a processing group that empties on a reset keeps a
     * versioned read model ({@code ReadModelVersions} rebuilds it when its version changes), except the adjustments
     * policy, whose processor issues adjustments and must not run the ledger again.
     */
    @Test
    void everyReadModelThatCanBeEmptiedIsVersioned() {
        classes().that().areAnnotatedWith(org.axonframework.config.ProcessingGroup.class)
                 .and().containAnyMethodsThat(com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates
                         .annotatedWith(org.axonframework.eventhandling.ResetHandler.class))
                 .and().doNotHaveFullyQualifiedName("org.ccmledger.billing.statement.AdjustmentPolicy")
                 .should().implement(org.ccmledger.platform.axon.VersionedReadModel.class)
                 .check(CLASSES);
    }

    @Test
    void controllersAreThinAndGoThroughTheCommandSender() {
        classes().that().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                 .should().notBePublic()
                 .check(CLASSES);
        noClasses().that().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                   .should().dependOnClassesThat().resideInAnyPackage("com.mongodb..",
                                                                      "org.axonframework.commandhandling.gateway..",
                                                                      "org.axonframework.queryhandling..")
                   .check(CLASSES);
    }
}
