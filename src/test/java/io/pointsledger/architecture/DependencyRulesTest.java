package io.pointsledger.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the design, on the compiled classes: the event plumbing knows no consumer,
 * the ledger's write path calls no consumer, and a capability reaches another's data through its
 * service, never its repository.
 */
class DependencyRulesTest {

    private static final String ROOT = "io.pointsledger";
    /** Capabilities that learn of ledger writes from events. */
    private static final String[] CONSUMERS = {ROOT + ".tiers..", ROOT + ".recommendations..", ROOT + ".communication.."};

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void shouldKeepTheEventPlumbingFreeOfItsConsumers() {
        noClasses().that().resideInAPackage(ROOT + ".events..")
                .should().dependOnClassesThat().resideInAnyPackage(CONSUMERS)
                .because("each consumer plugs itself in with its own @Incoming channel; events/ must not know them")
                .check(mainClasses);
    }

    @Test
    void shouldKeepTheWritePathFromCallingAnyConsumer() {
        noClasses().that().resideInAnyPackage(ROOT + ".ledger..", ROOT + ".holds..")
                .should().dependOnClassesThat(resideInAnyPackage(CONSUMERS)
                        .and(simpleNameEndingWith("Service").or(simpleNameEndingWith("Consumer"))
                                .or(simpleNameEndingWith("Repository")).or(simpleNameEndingWith("Notifications"))))
                .because("tiers, recommendations and notifications learn of a write from its event")
                .check(mainClasses);
    }

    @Test
    void shouldReachRepositoriesOnlyFromTheirOwnCapability() {
        classes().that().haveSimpleNameEndingWith("Repository")
                .should(beAccessedOnlyFromTheirOwnPackage())
                .because("a capability uses another's service, never its repository or tables")
                .check(mainClasses);
    }

    private static ArchCondition<JavaClass> beAccessedOnlyFromTheirOwnPackage() {
        return new ArchCondition<>("be accessed only from their own package") {
            @Override
            public void check(JavaClass repository, ConditionEvents events) {
                for (JavaAccess<?> access : repository.getAccessesToSelf()) {
                    JavaClass accessor = access.getOriginOwner();
                    if (!accessor.getPackageName().equals(repository.getPackageName())) {
                        events.add(SimpleConditionEvent.violated(access, access.getDescription()));
                    }
                }
            }
        };
    }
}
