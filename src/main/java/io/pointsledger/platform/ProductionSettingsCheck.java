package io.pointsledger.platform;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.Config;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

/**
 * Refuses a production start whose settings {@link ProductionSettings} finds unsafe, with one
 * message listing every problem. Dev mode and tests keep their public development values.
 *
 * <p>It runs when Flyway is configured, which is before anything connects to PostgreSQL: Flyway
 * migrates during startup, before the startup event, so a check that waited for that event would
 * first have handed a weak password to the database and let the migrations run. The startup
 * event runs it too, for a start without migrations.
 */
@Singleton
public class ProductionSettingsCheck implements FlywayConfigurationCustomizer {

    private static final Logger LOG = Logger.getLogger(ProductionSettingsCheck.class);

    private final Config config;
    private final AtomicBoolean checked = new AtomicBoolean();

    ProductionSettingsCheck(Config config) {
        this.config = config;
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        checkOnce();
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        checkOnce();
    }

    private void checkOnce() {
        if (LaunchMode.current() != LaunchMode.NORMAL || !checked.compareAndSet(false, true)) {
            return;
        }
        ProductionSettings settings = new ProductionSettings(name -> config.getOptionalValue(name, String.class));
        settings.warnings().forEach(LOG::warn);
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException(ProductionSettings.refusal(problems));
        }
    }
}
