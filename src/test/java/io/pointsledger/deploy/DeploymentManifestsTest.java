package io.pointsledger.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/kubernetes and deploy/compose.yaml are read the way a cluster and Docker Compose would
 * refuse them: strictly, into the Kubernetes model, and checked against each other and against
 * what the service requires in production. No cluster is needed, so a broken manifest fails the
 * build rather than a rollout.
 *
 * <p>Each check is proven to fire: the same files, broken in one place, must be reported.
 */
class DeploymentManifestsTest {

    private static final String APPLICATION_PROPERTIES = DeploymentManifests.read(DeploymentManifests.APPLICATION_PROPERTIES);

    @Test
    void shouldFindNoProblemInTheKubernetesManifests() {
        assertEquals(List.of(), DeploymentManifests.kubernetesProblems(DeploymentManifests.kubernetesFiles(), APPLICATION_PROPERTIES));
    }

    @Test
    void shouldFindNoProblemInTheComposeFile() {
        assertEquals(List.of(), DeploymentManifests.composeProblems(DeploymentManifests.read(DeploymentManifests.COMPOSE),
                DeploymentManifests.read(DeploymentManifests.ENV_EXAMPLE), APPLICATION_PROPERTIES));
    }

    /** The list the checks derive must hold what the README's Production section says is required. */
    @Test
    void shouldDeriveTheVariablesProductionRequires() {
        Set<String> migrating = DeploymentManifests.requiredVariables(APPLICATION_PROPERTIES, "true", "verify-full");
        assertEquals(Set.of("POINTS_LEDGER_DB", "POINTS_LEDGER_DB_PASSWORD", "POINTS_LEDGER_DB_MIGRATION_PASSWORD", "POINTS_LEDGER_DB_CA_CERT",
                "POINTS_LEDGER_ADMIN_KEY", "POINTS_LEDGER_PII_ENCRYPTION_KEYS", "POINTS_LEDGER_PII_ACTIVE_KEY_ID",
                "POINTS_LEDGER_PII_BLIND_INDEX_KEY"), migrating);
        Set<String> serving = DeploymentManifests.requiredVariables(APPLICATION_PROPERTIES, "false", "disable");
        assertFalse(serving.contains("POINTS_LEDGER_DB_MIGRATION_PASSWORD"), serving::toString);
        assertFalse(serving.contains("POINTS_LEDGER_DB_CA_CERT"), serving::toString);
    }

    static Stream<Arguments> brokenKubernetesManifests() {
        return Stream.of(
                Arguments.of("a misspelt field", "deployment.yaml",
                        "  revisionHistoryLimit: 5\n", "  revisionHistoryLimit: 5\n  replica: 3\n",
                        "does not fit the Kubernetes model"),
                Arguments.of("a kind the layout does not know", "hpa.yaml",
                        "apiVersion: autoscaling/v2\n", "apiVersion: autoscaling/v1\n",
                        "autoscaling/v1/HorizontalPodAutoscaler is not a kind"),
                Arguments.of("a Service selecting other pods", "service.yaml",
                        "  selector:\n    app.kubernetes.io/name: points-ledger\n", "  selector:\n    app.kubernetes.io/name: points-ledgr\n",
                        "Service points-ledger selects no pod of the Deployment"),
                Arguments.of("a Service port to a missing container port", "service.yaml",
                        "targetPort: management", "targetPort: admin",
                        "targets admin, which is not a port of the Deployment's container"),
                Arguments.of("a PodDisruptionBudget selecting other pods", "pdb.yaml",
                        "app.kubernetes.io/component: api", "app.kubernetes.io/component: worker",
                        "PodDisruptionBudget points-ledger selects no pod of the Deployment"),
                Arguments.of("a probe on a port the container lacks", "deployment.yaml",
                        "livenessProbe:\n            httpGet:\n              path: /q/health/live\n              port: management",
                        "livenessProbe:\n            httpGet:\n              path: /q/health/live\n              port: metrics",
                        "livenessProbe port metrics is not a port of the container"),
                Arguments.of("a probe on the public port", "deployment.yaml",
                        "path: /q/health/ready\n              port: management", "path: /q/health/ready\n              port: http",
                        "readinessProbe does not probe the management port 9000"),
                Arguments.of("a startup probe that a Kafka outage keeps DOWN", "deployment.yaml",
                        "startupProbe:\n            httpGet:\n              path: /q/health/live",
                        "startupProbe:\n            httpGet:\n              path: /q/health/started",
                        "the startupProbe asks /q/health/started, not /q/health/live"),
                Arguments.of("a required variable left out", "deployment.yaml",
                        "            - name: POINTS_LEDGER_ADMIN_KEY\n              valueFrom:\n                secretKeyRef:\n"
                                + "                  name: points-ledger\n                  key: POINTS_LEDGER_ADMIN_KEY\n", "",
                        "the Deployment does not set POINTS_LEDGER_ADMIN_KEY"),
                Arguments.of("a required variable left out of the ConfigMap", "configmap.yaml",
                        "  POINTS_LEDGER_DB: postgres.points-ledger-data.svc:5432/ledger\n", "",
                        "the Deployment does not set POINTS_LEDGER_DB,"),
                Arguments.of("a Secret key the template lacks", "secret-template.yaml",
                        "  POINTS_LEDGER_REDIS: \"\"\n", "",
                        "POINTS_LEDGER_REDIS refers to key POINTS_LEDGER_REDIS of Secret points-ledger, which is not in the Secret template"),
                Arguments.of("a value in the Secret template", "secret-template.yaml",
                        "  POINTS_LEDGER_ADMIN_KEY: \"\"\n", "  POINTS_LEDGER_ADMIN_KEY: \"0123456789abcdef0123456789abcdef\"\n",
                        "key POINTS_LEDGER_ADMIN_KEY has a value"),
                Arguments.of("the CA certificate outside every mount", "configmap.yaml",
                        "POINTS_LEDGER_DB_CA_CERT: /etc/points-ledger/db-ca/ca.crt", "POINTS_LEDGER_DB_CA_CERT: /etc/ssl/ca.crt",
                        "POINTS_LEDGER_DB_CA_CERT=/etc/ssl/ca.crt is not under any volume mount"),
                Arguments.of("the service migrating at start", "deployment.yaml",
                        "            - name: QUARKUS_FLYWAY_MIGRATE_AT_START\n              value: \"false\"\n", "",
                        "the Deployment sets QUARKUS_FLYWAY_MIGRATE_AT_START=true"),
                Arguments.of("the migration Job without the owner's password", "migration-job.yaml",
                        "                  name: points-ledger-migration\n", "                  name: points-ledger\n",
                        "POINTS_LEDGER_DB_MIGRATION_PASSWORD of Secret points-ledger, which is not in the Secret template"),
                Arguments.of("the migration Job serving instead of exiting", "migration-job.yaml",
                        "            - name: QUARKUS_INIT_AND_EXIT\n              value: \"true\"\n", "",
                        "does not set QUARKUS_INIT_AND_EXIT=true"),
                Arguments.of("the migration Job running another image", "migration-job.yaml",
                        "image: registry.example.com/points-ledger:0.1.0", "image: registry.example.com/points-ledger:0.0.9",
                        "not the Deployment's image"),
                Arguments.of("an autoscaler scaling something else", "hpa.yaml",
                        "    kind: Deployment\n    name: points-ledger\n", "    kind: Deployment\n    name: points-ledger-api\n",
                        "HorizontalPodAutoscaler points-ledger targets apps/v1 Deployment points-ledger-api"),
                Arguments.of("an autoscaler minimum the rate limiter does not know", "hpa.yaml",
                        "minReplicas: 2", "minReplicas: 3",
                        "minReplicas 3 must be at least 2 and equal POINTS_LEDGER_SECURITY_RATE_LIMITER_FALLBACK_INSTANCES"),
                Arguments.of("a ServiceMonitor selecting no Service", "servicemonitor.yaml",
                        "      app.kubernetes.io/component: api\n", "      app.kubernetes.io/component: web\n",
                        "ServiceMonitor points-ledger selects no Service"),
                Arguments.of("a ServiceMonitor on a port name the Service lacks", "servicemonitor.yaml",
                        "- port: management", "- port: metrics",
                        "ServiceMonitor endpoint port metrics is not a port name of Service points-ledger"),
                Arguments.of("a NetworkPolicy admitting a port the pods lack", "networkpolicy.yaml",
                        "        - port: management\n", "        - port: 9090\n",
                        "admits port 9090, which is not a port of the pods it selects"),
                Arguments.of("a container that may write its root file system", "deployment.yaml",
                        "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false",
                        "the Deployment's container must set readOnlyRootFilesystem: true"),
                Arguments.of("a kustomization listing the Secret template", "kustomization.yaml",
                        "  - configmap.yaml\n", "  - configmap.yaml\n  - secret-template.yaml\n",
                        "lists secret-template.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenKubernetesManifests")
    void shouldReportABrokenKubernetesManifest(String breakage, String file, String original, String broken, String expectedProblem) {
        Map<String, String> files = new TreeMap<>(DeploymentManifests.kubernetesFiles());
        files.put(file, replaceOnce(files.get(file), original, broken));

        List<String> problems = DeploymentManifests.kubernetesProblems(files, APPLICATION_PROPERTIES);

        // The problem may be reported where the reference is rather than in the file broken (a
        // key removed from the Secret template shows as the Deployment's dangling reference).
        assertTrue(problems.stream().anyMatch(problem -> problem.contains(expectedProblem)),
                () -> breakage + ": expected a problem saying \"" + expectedProblem + "\", got " + problems);
    }

    static Stream<Arguments> brokenComposeFiles() {
        return Stream.of(
                Arguments.of("a variable .env.example does not list", "compose.yaml",
                        "GF_USERS_ALLOW_SIGN_UP: \"false\"", "GF_USERS_ALLOW_SIGN_UP: ${GRAFANA_SIGN_UP}",
                        "compose.yaml: uses ${GRAFANA_SIGN_UP}, which .env.example does not list"),
                Arguments.of("a variable .env.example lists for nothing", ".env.example",
                        "GRAFANA_ADMIN_PASSWORD=\n", "GRAFANA_ADMIN_PASSWORD=\nGRAFANA_SECRET_KEY=\n",
                        ".env.example: lists GRAFANA_SECRET_KEY, which compose.yaml does not use"),
                Arguments.of("a production variable the service lacks", "compose.yaml",
                        "      POINTS_LEDGER_DB_MIGRATION_PASSWORD: ${POINTS_LEDGER_DB_MIGRATION_PASSWORD}\n", "",
                        "service points-ledger does not set POINTS_LEDGER_DB_MIGRATION_PASSWORD"),
                Arguments.of("TLS to PostgreSQL without its CA certificate", "compose.yaml",
                        "POINTS_LEDGER_DB_SSL_MODE: disable", "POINTS_LEDGER_DB_SSL_MODE: verify-full",
                        "service points-ledger does not set POINTS_LEDGER_DB_CA_CERT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenComposeFiles")
    void shouldReportABrokenComposeFile(String breakage, String file, String original, String broken, String expectedProblem) {
        String compose = DeploymentManifests.read(DeploymentManifests.COMPOSE);
        String envExample = DeploymentManifests.read(DeploymentManifests.ENV_EXAMPLE);
        if (file.equals("compose.yaml")) {
            compose = replaceOnce(compose, original, broken);
        } else {
            envExample = replaceOnce(envExample, original, broken);
        }

        List<String> problems = DeploymentManifests.composeProblems(compose, envExample, APPLICATION_PROPERTIES);

        assertTrue(problems.stream().anyMatch(problem -> problem.contains(expectedProblem)),
                () -> breakage + ": expected a problem saying \"" + expectedProblem + "\", got " + problems);
    }

    /** A breakage that matched nothing, or more than it meant to, would prove nothing. */
    private static String replaceOnce(String text, String original, String broken) {
        int first = text.indexOf(original);
        assertTrue(first >= 0, () -> "the text to break does not occur in the file: " + original);
        assertTrue(text.indexOf(original, first + 1) < 0, () -> "the text to break occurs more than once: " + original);
        return text.substring(0, first) + broken + text.substring(first + original.length());
    }
}
