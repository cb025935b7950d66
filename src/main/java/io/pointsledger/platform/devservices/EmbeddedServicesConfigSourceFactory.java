package io.pointsledger.platform.devservices;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives dev mode and tests a real PostgreSQL, a real Redis, a real SMTP server and a local SMS and
 * push provider (an HTTP server) for whichever of them is not configured. The
 * PostgreSQL has production's two roles: the service logs in as the runtime role, Flyway as the
 * migration owner ({@link EmbeddedDatabaseRoles}).
 *
 * <p>The servers start lazily, the first time Quarkus asks for one of their URLs while the runtime
 * starts, so nothing starts during the build. In the prod profile this factory returns no source
 * and never touches the embedded-server classes, which are not on the production class path (they
 * are {@code provided}-scoped): the starter is loaded by a name that native-image analysis cannot
 * fold into a constant.
 */
public final class EmbeddedServicesConfigSourceFactory implements ConfigSourceFactory {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String REDIS_HOSTS = "quarkus.redis.hosts";
    static final String FLYWAY_USERNAME = "quarkus.flyway.username";
    static final String FLYWAY_PASSWORD = "quarkus.flyway.password";
    static final String SMTP_HOST = "points-ledger.communication.smtp.host";
    static final String SMTP_PORT = "points-ledger.communication.smtp.port";
    static final String SMS_URL = "points-ledger.communication.sms.url";
    static final String PUSH_URL = "points-ledger.communication.push.url";
    private static final Set<String> MESSAGE_PROVIDER_KEYS = Set.of(SMTP_HOST, SMTP_PORT, SMS_URL, PUSH_URL);
    private static final Set<String> POSTGRES_KEYS = Set.of(REACTIVE_URL, JDBC_URL, FLYWAY_USERNAME,
            FLYWAY_PASSWORD);

    /** Ordinal below application.properties (250), environment (300) and system properties (400). */
    private static final int ORDINAL = 50;

    private static final String STARTER_CLASS_PROPERTY = "points-ledger.embedded.starter-class";
    private static final String STARTER_CLASS_DEFAULT = "io.pointsledger.platform.devservices.EmbeddedServers";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        if (!profiles.contains("dev") && !profiles.contains("test")) {
            return List.of();
        }
        Set<String> provided = new HashSet<>();
        if (!isSet(context, REACTIVE_URL) && !isSet(context, JDBC_URL)) {
            provided.addAll(POSTGRES_KEYS);
        }
        if (!isSet(context, REDIS_HOSTS)) {
            provided.add(REDIS_HOSTS);
        }
        MESSAGE_PROVIDER_KEYS.stream().filter(key -> !isSet(context, key)).forEach(provided::add);
        if (isSet(context, SMTP_HOST)) {
            // A server of one's own: its port is the configured one (or the default), never the local server's.
            provided.remove(SMTP_PORT);
        }
        if (provided.isEmpty()) {
            return List.of();
        }
        String profile = profiles.contains("test") ? "test" : "dev";
        return List.of(new LazySource(profile, provided));
    }

    /** Set by a source above this one (a mapping's default does not count: the SMTP port has one). */
    private static boolean isSet(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null && !value.getValue().isBlank() && value.getConfigSourceOrdinal() > ORDINAL;
    }

    /** Starts each server the first time one of its keys is read. */
    private static final class LazySource implements ConfigSource {
        private final String profile;
        private final Set<String> provided;

        LazySource(String profile, Set<String> provided) {
            this.profile = profile;
            this.provided = Set.copyOf(provided);
        }

        @Override
        public Set<String> getPropertyNames() {
            return Set.of();
        }

        @Override
        public String getValue(String propertyName) {
            boolean wanted = provided.contains(propertyName);
            return wanted ? starter().apply(profile, propertyName) : null;
        }

        @Override
        public int getOrdinal() {
            return ORDINAL;
        }

        @Override
        public String getName() {
            return "points-ledger embedded PostgreSQL, Redis, SMTP and SMS/push provider (" + profile + ")";
        }

        @SuppressWarnings("unchecked")
        private static BiFunction<String, String, String> starter() {
            String starterClass = System.getProperty(STARTER_CLASS_PROPERTY, STARTER_CLASS_DEFAULT);
            try {
                return (BiFunction<String, String, String>) Class
                        .forName(starterClass, true, EmbeddedServicesConfigSourceFactory.class.getClassLoader())
                        .getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("Cannot start the embedded PostgreSQL and Redis (dev and test only). "
                        + "Configure " + REACTIVE_URL + ", " + JDBC_URL + " and " + REDIS_HOSTS + " instead.", e);
            }
        }
    }
}
