package io.pointsledger.churn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointsledger.support.HistoryLoader;
import io.pointsledger.support.RetailPurchases;
import io.pointsledger.support.RetailPurchases.Invoice;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Churn risk judged on real purchases (Online Retail, customer half A by default), and the
 * command that judges it on any file of that shape:
 * {@code load-tests/churn-evaluation.sh [/path/purchases.csv.gz] [cutoff]}. The invoices become
 * members' purchase history; the service's own evaluation then trains on what was known at the
 * cutoff (1 September 2011 by default) and reports ROC AUC for "no purchase in the 90 days after"
 * next to days since the last purchase alone.
 */
@QuarkusTest
class ChurnEvaluationTest {

    static final String PURCHASES_PROPERTY = "churn.evaluation.purchases";
    static final String CUTOFF_PROPERTY = "churn.evaluation.cutoff";
    /**
     * The history is moved this far back, to years no other test buys in, so that only its
     * members are judged (the model learns from and is judged on members active within a year).
     * Whole years keep every figure the model uses the same: days between purchases and calendar
     * months (neither 1990-1991 nor 2010-2011 holds a 29 February).
     */
    private static final int YEARS_BACK = 20;
    /** The bar: the model must rank churners this much better than recency does. */
    private static final double AUC_GAIN_MIN = 0.05;

    @Inject
    ChurnService churn;

    @Inject
    Pool pool;

    @Test
    void shouldForeseeChurnOnRealPurchasesWellAboveRecencyAlone() {
        List<Invoice> invoices = RetailPurchases.read(PURCHASES_PROPERTY).stream().map(invoice -> new Invoice(invoice.customer(),
                invoice.invoice(), invoice.occurredAt().minusYears(YEARS_BACK), invoice.skus(), invoice.amountMinorUnits())).toList();
        LocalDate cutoff = LocalDate.parse(System.getProperty(CUTOFF_PROPERTY, "2011-09-01"));
        long loadingStarted = System.nanoTime();
        HistoryLoader.load(pool, invoices);
        long loadingMillis = (System.nanoTime() - loadingStarted) / 1_000_000;

        long evaluationStarted = System.nanoTime();
        ChurnEvaluation evaluation = churn.evaluate(cutoff.minusYears(YEARS_BACK)).await().atMost(Duration.ofMinutes(5));
        long evaluationMillis = (System.nanoTime() - evaluationStarted) / 1_000_000;

        System.out.printf("""
                Churn risk on %s
                %d invoices loaded (moved %d years back) in %d ms; cutoff %s, horizon %d days; evaluated in %d ms
                trained on %d member snapshots; scored %d members, %d churned (%.1f %%)
                ROC AUC  model %.4f   recency only %.4f   gain %+.4f   (%d features, logistic regression)
                """, RetailPurchases.source(PURCHASES_PROPERTY), invoices.size(), YEARS_BACK, loadingMillis, cutoff, evaluation.horizonDays(),
                evaluationMillis, evaluation.trainingMembers(), evaluation.members(), evaluation.churned(),
                100.0 * evaluation.churned() / evaluation.members(), evaluation.modelAuc(), evaluation.recencyAuc(),
                evaluation.modelAuc() - evaluation.recencyAuc(), evaluation.features());
        assertTrue(evaluation.modelAuc() >= evaluation.recencyAuc() + AUC_GAIN_MIN,
                "model AUC " + evaluation.modelAuc() + " vs recency " + evaluation.recencyAuc());
    }
}
