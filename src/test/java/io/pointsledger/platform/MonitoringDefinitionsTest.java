package io.pointsledger.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pointsledger.support.LedgerApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules in deploy/ name metrics by hand; a renamed
 * meter, or one that was never exported, would leave a panel empty and an alert that never fires,
 * with nothing to say so. Every metric name their PromQL mentions must be a sample name of the
 * running service's /q/metrics, after a little real traffic has registered the meters that appear
 * on first use (the per-endpoint timers, a consumer's counters, the GC pause timer).
 *
 * <p>The names are compared with the exposition as it is, suffixes included: a summary is exported
 * as {@code _count}, {@code _sum} and {@code _max}, with no {@code _bucket}, so a query asking for
 * buckets fails here by name.
 */
@QuarkusTest
class MonitoringDefinitionsTest {

    private static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/points-ledger.json");
    private static final Path DASHBOARD_PROVISIONING = Path.of("deploy/grafana/provisioning/dashboards/points-ledger.yaml");
    private static final Path ALERTS = Path.of("deploy/prometheus/alerts.yml");
    private static final Path PROMETHEUS = Path.of("deploy/prometheus/prometheus.yml");
    private static final Path COMPOSE = Path.of("deploy/compose.yaml");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** What Prometheus reads as a duration: 90s, 5m, 1h30m. */
    private static final Pattern PROMETHEUS_DURATION = Pattern.compile("(\\d+(ms|s|m|h|d|w|y))+");
    private static final Set<String> SEVERITIES = Set.of("warning", "critical");

    // PromQL with what is not a metric name taken out, in this order: string literals (label
    // values, regular expressions, Grafana's $instance inside them), Grafana variables, label
    // matchers, range and subquery brackets (durations, $__rate_interval), and the label lists of
    // by, without, on, ignoring, group_left and group_right.
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /**
     * An identifier not preceded by a letter, digit or dot (so neither the exponent of 1e3 nor the
     * unit of a duration) and not followed by an opening parenthesis (a function or aggregation).
     */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\\w:]*\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan");
    /** A Grafana variable query listing a label's values, with or without the metric it reads them from. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((?:(.+),)?\\s*\\w+\\s*\\)\\s*$");

    @Test
    void shouldExportEveryMetricTheDashboardQueries() {
        Map<String, String> expressions = dashboardExpressions(readJson(DASHBOARD));
        assertTrue(expressions.size() >= 30, "the dashboard's queries were not all found: " + expressions.keySet());

        assertEquals(List.of(), notExported(expressions, sampleNames(exposition())));
    }

    @Test
    void shouldExportEveryMetricTheAlertRulesQuery() {
        Map<String, String> expressions = alertExpressions(readYaml(ALERTS));
        assertFalse(expressions.isEmpty(), "no alert rule found in " + ALERTS);

        assertEquals(List.of(), notExported(expressions, sampleNames(exposition())));
    }

    @Test
    void shouldGiveEveryAlertRuleAnExpressionADurationASeverityAndADescription() {
        assertEquals(List.of(), alertRuleProblems(readYaml(ALERTS)));
    }

    /** The structural check fires on a rule missing what an on-call engineer needs. */
    @Test
    void shouldReportAnAlertRuleWithoutDurationOrSummaryOrAKnownSeverity() throws IOException {
        JsonNode broken = YAML.readTree("""
                groups:
                  - name: broken
                    rules:
                      - alert: NoDuration
                        expr: ledger_events_lag_seconds > 300
                        labels: {severity: warning}
                        annotations: {summary: s, description: d}
                      - alert: NoSummary
                        expr: ledger_events_lag_seconds > 300
                        for: 5m
                        labels: {severity: page}
                        annotations: {description: d}
                """);

        assertEquals(List.of(
                "alert NoDuration: for is not a Prometheus duration: null",
                "alert NoSummary: labels.severity is not one of " + new TreeSet<>(SEVERITIES) + ": page",
                "alert NoSummary: annotations.summary is missing"), alertRuleProblems(broken));
    }

    @Test
    void shouldQueryEveryDashboardPanelThroughTheDataSourceAndInstanceVariables() {
        JsonNode dashboard = readJson(DASHBOARD);
        Set<String> variables = new HashSet<>();
        dashboard.path("templating").path("list").forEach(variable -> variables.add(
                variable.path("name").asText() + ":" + variable.path("type").asText()));
        assertTrue(variables.containsAll(Set.of("datasource:datasource", "instance:query")), variables::toString);

        List<String> problems = new ArrayList<>();
        dashboardExpressions(dashboard).forEach((source, expression) -> {
            if (source.startsWith("panel") && !expression.contains("instance=~\"$instance\"")) {
                problems.add(source + ": does not select instance=~\"$instance\"");
            }
        });
        panels(dashboard.path("panels")).forEach(panel -> panel.path("targets").forEach(target -> {
            if (!"${datasource}".equals(target.path("datasource").path("uid").asText())) {
                problems.add("panel '" + panel.path("title").asText() + "': a target not on ${datasource}");
            }
        }));
        assertEquals(List.of(), problems);
    }

    /** The compose stack mounts the files where its Prometheus and Grafana look for them. */
    @Test
    void shouldLoadTheAlertRulesAndTheDashboardInTheComposeStack() {
        JsonNode services = readYaml(COMPOSE).path("services");

        String rulesMount = "./prometheus/alerts.yml:" + readYaml(PROMETHEUS).path("rule_files").path(0).asText() + ":ro";
        assertTrue(volumes(services.path("prometheus")).contains(rulesMount),
                "compose.yaml mounts " + rulesMount + " in prometheus: " + volumes(services.path("prometheus")));

        String dashboardsMount = "./grafana/dashboards:"
                + readYaml(DASHBOARD_PROVISIONING).path("providers").path(0).path("options").path("path").asText() + ":ro";
        assertTrue(volumes(services.path("grafana")).contains(dashboardsMount),
                "compose.yaml mounts " + dashboardsMount + " in grafana: " + volumes(services.path("grafana")));
        assertEquals(39, readJson(DASHBOARD).path("schemaVersion").asInt());
    }

    @Test
    void shouldReadOnlyMetricNamesOutOfAnExpression() {
        assertEquals(Set.of("http_server_requests_seconds_sum", "http_server_requests_seconds_count"), metricNames("""
                sum by (method, uri) (rate(http_server_requests_seconds_sum{instance=~"$instance", status=~"5.."}[$__rate_interval]))
                  / on (method, uri) group_left sum without (status, outcome) (rate(http_server_requests_seconds_count[5m] offset 1h))
                  > bool 1e3"""));
        assertEquals(Set.of("sql_pool_active", "sql_pool_idle"),
                metricNames("max by(instance)(sql_pool_active{pool_type='sql'} / (sql_pool_active + sql_pool_idle)) > 0.9 and vector(1)"));
        assertEquals(Set.of("ledger_events_lag_seconds"), metricNames("max(max_over_time(ledger_events_lag_seconds[1h:5m]))"));
        assertThrows(IllegalArgumentException.class, () -> metricNames("{__name__=~\"ledger_.*\"}"),
                "a name only a matcher holds cannot be checked");
    }

    @Test
    void shouldNameEveryReferencedMetricTheExpositionLacks() {
        Set<String> exported = sampleNames("""
                # HELP ledger_write_batch_size Writes committed together
                # TYPE ledger_write_batch_size summary
                ledger_write_batch_size_count 3.0
                ledger_write_batch_size_sum 9.0
                ledger_write_batch_size_max{} 4.0
                """);
        Map<String, String> expressions = new LinkedHashMap<>();
        expressions.put("panel 'Batches'", "rate(ledger_write_batch_size_sum[1m]) / rate(ledger_write_batch_size_count[1m])");
        expressions.put("panel 'Buckets'", "histogram_quantile(0.99, rate(ledger_write_batch_size_bucket[1m]))");
        expressions.put("alert Renamed", "ledger_write_batch_sizes_max > 60");

        assertEquals(List.of("panel 'Buckets': ledger_write_batch_size_bucket is not on /q/metrics",
                "alert Renamed: ledger_write_batch_sizes_max is not on /q/metrics"), notExported(expressions, exported));
    }

    /**
     * /q/metrics after an enrollment, an earn, two balance reads and a collection: the meters
     * registered on first use exist once a consumer has taken the earn's event.
     */
    private static String exposition() {
        UUID memberId = LedgerApi.enroll();
        LedgerApi.earnForAmount(memberId, "monitoring-" + memberId, 10_000).then().statusCode(201);
        LedgerApi.given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
        LedgerApi.given().get("/v1/members/{memberId}/balance", memberId).then().statusCode(200);
        // The GC pause timer is registered at the first collection; a short test run may have had none.
        System.gc();
        return await().atMost(TIMEOUT).until(
                () -> RestAssured.get("/q/metrics").then().statusCode(200).extract().asString(),
                metrics -> metrics.contains("ledger_events_consumed_total{") && metrics.contains("jvm_gc_pause_seconds_count{"));
    }

    /** The names of the exposition's samples, as a query names them (with _count, _sum, _max, _total). */
    private static Set<String> sampleNames(String exposition) {
        Set<String> names = new HashSet<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    /** One line per referenced metric the exposition lacks, naming where it is referenced. */
    private static List<String> notExported(Map<String, String> expressions, Set<String> exported) {
        List<String> missing = new ArrayList<>();
        expressions.forEach((source, expression) -> {
            Set<String> names = metricNames(expression);
            if (names.isEmpty()) {
                missing.add(source + ": names no metric: " + expression);
            }
            names.stream().filter(name -> !exported.contains(name))
                    .forEach(name -> missing.add(source + ": " + name + " is not on /q/metrics"));
        });
        return missing;
    }

    /** The metric names a PromQL expression (or a Grafana label_values query) reads. */
    static Set<String> metricNames(String expression) {
        Matcher labelValues = LABEL_VALUES.matcher(expression);
        if (labelValues.matches()) {
            return labelValues.group(1) == null ? Set.of() : metricNames(labelValues.group(1));
        }
        if (expression.contains("__name__")) {
            throw new IllegalArgumentException("name the metric outside the braces, not with __name__: " + expression);
        }
        String remaining = STRING_LITERAL.matcher(expression).replaceAll(" ");
        remaining = GRAFANA_VARIABLE.matcher(remaining).replaceAll(" ");
        remaining = LABEL_MATCHERS.matcher(remaining).replaceAll(" ");
        remaining = RANGE.matcher(remaining).replaceAll(" ");
        remaining = LABEL_LIST.matcher(remaining).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(remaining);
        while (identifier.find()) {
            if (!KEYWORDS.contains(identifier.group().toLowerCase())) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    /**
     * Every query of the dashboard by where it is: each target of each panel, rows' nested panels
     * included, and each query variable.
     */
    private static Map<String, String> dashboardExpressions(JsonNode dashboard) {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode panel : panels(dashboard.path("panels"))) {
            for (JsonNode target : panel.path("targets")) {
                expressions.put("panel '" + panel.path("title").asText() + "' target " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                expressions.put("variable $" + variable.path("name").asText(),
                        query.isObject() ? query.path("query").asText() : query.asText());
            }
        }
        return expressions;
    }

    /** The panels at every depth: a collapsed row holds its panels inside it. */
    private static List<JsonNode> panels(JsonNode panels) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : panels) {
            all.add(panel);
            all.addAll(panels(panel.path("panels")));
        }
        return all;
    }

    private static Map<String, String> alertExpressions(JsonNode alerts) {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode group : alerts.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                expressions.put("alert " + rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        return expressions;
    }

    /** What Prometheus would load but an on-call engineer could not act on, one line each. */
    private static List<String> alertRuleProblems(JsonNode alerts) {
        List<String> problems = new ArrayList<>();
        if (!alerts.path("groups").isArray() || alerts.path("groups").isEmpty()) {
            return List.of("no groups");
        }
        Set<String> names = new HashSet<>();
        for (JsonNode group : alerts.path("groups")) {
            String groupName = group.path("name").asText();
            if (groupName.isBlank() || !group.path("rules").isArray() || group.path("rules").isEmpty()) {
                problems.add("group '" + groupName + "': needs a name and rules");
                continue;
            }
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                String where = "alert " + (alert.isBlank() ? "without a name in group " + groupName : alert);
                if (!alert.isBlank() && !names.add(alert)) {
                    problems.add(where + ": named twice");
                }
                if (rule.path("expr").asText().isBlank()) {
                    problems.add(where + ": expr is missing");
                }
                JsonNode duration = rule.get("for");
                if (duration == null || !PROMETHEUS_DURATION.matcher(duration.asText()).matches()) {
                    problems.add(where + ": for is not a Prometheus duration: " + (duration == null ? null : duration.asText()));
                }
                String severity = rule.path("labels").path("severity").asText();
                if (!SEVERITIES.contains(severity)) {
                    problems.add(where + ": labels.severity is not one of " + new TreeSet<>(SEVERITIES) + ": " + severity);
                }
                for (String annotation : List.of("summary", "description")) {
                    if (rule.path("annotations").path(annotation).asText().isBlank()) {
                        problems.add(where + ": annotations." + annotation + " is missing");
                    }
                }
            }
        }
        return problems;
    }

    private static List<String> volumes(JsonNode service) {
        List<String> volumes = new ArrayList<>();
        service.path("volumes").forEach(volume -> volumes.add(volume.asText()));
        return volumes;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
