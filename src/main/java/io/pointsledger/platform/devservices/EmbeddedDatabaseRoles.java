package io.pointsledger.platform.devservices;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The two login roles of a PostgreSQL started for dev mode or tests, as production has them: the
 * migration owner, which owns the database and so everything Flyway creates in it, and the runtime
 * role the service connects as, which V12 grants only what the service needs. Created by the
 * superuser {@code postgres} right after the server starts; the passwords protect nothing.
 */
public final class EmbeddedDatabaseRoles {

    public static final String DATABASE = "postgres";
    public static final String OWNER = "points_ledger_owner";
    public static final String OWNER_PASSWORD = "points-ledger-owner-dev";
    public static final String RUNTIME = "points_ledger_runtime";
    public static final String RUNTIME_PASSWORD = "points-ledger-runtime-dev";

    private EmbeddedDatabaseRoles() {
    }

    /**
     * The service's URL, logging in as the runtime role. The role is in the URL rather than in
     * {@code quarkus.datasource.username}: given by this lazy source, that key was not applied and
     * the pool logged in as the client's default user.
     */
    public static String reactiveUrl(int port) {
        return "postgresql://" + RUNTIME + ":" + RUNTIME_PASSWORD + "@localhost:" + port + "/" + DATABASE;
    }

    /** Flyway's URL, logging in as the owner: Flyway is the only user of the JDBC data source. */
    public static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE + "?user=" + OWNER + "&password=" + OWNER_PASSWORD;
    }

    /** Creates both roles unless they exist, and hands the database to the owner. */
    public static void create(int port) {
        String url = "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            createLoginUnlessExists(connection, statement, OWNER, OWNER_PASSWORD);
            createLoginUnlessExists(connection, statement, RUNTIME, RUNTIME_PASSWORD);
            // The database owner owns schema public (pg_database_owner), so it may create there.
            statement.execute("ALTER DATABASE " + DATABASE + " OWNER TO " + OWNER);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database roles on port " + port, e);
        }
    }

    private static void createLoginUnlessExists(Connection connection, Statement statement, String role, String password)
            throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            exists.setString(1, role);
            try (ResultSet found = exists.executeQuery()) {
                if (found.next()) {
                    return;
                }
            }
        }
        // Role names and passwords are the constants above: nothing here comes from outside.
        statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
    }
}
