package io.pointsledger.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.pointsledger.platform.ProductionSettings;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads deploy/kubernetes strictly into the Kubernetes object model and checks that its objects
 * fit together, and that deploy/compose.yaml takes every variable it uses from .env.example.
 * Every check answers problems, one sentence each naming the file, rather than failing at the
 * first: a test on a deliberately broken copy asserts the problem it expects.
 *
 * <p>What the service needs in production is derived, not listed: the {@code ${VARIABLE}}
 * references without a default in application.properties (production profile) and the variables
 * that {@link ProductionSettings} refuses to start without.
 */
final class DeploymentManifests {

    static final Path KUBERNETES = Path.of("deploy/kubernetes");
    static final Path COMPOSE = Path.of("deploy/compose.yaml");
    static final Path ENV_EXAMPLE = Path.of("deploy/.env.example");
    static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");

    /** The kinds deploy/kubernetes may hold, each read into its model class and nothing else. */
    private static final Map<String, Class<?>> MODEL_CLASSES = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/Job", Job.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    private static final String KUSTOMIZATION = "kustomize.config.k8s.io/v1beta1/Kustomization";

    /** A variable reference without a default: {@code ${NAME}}, never {@code ${NAME:default}}. */
    private static final Pattern REQUIRED_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    /** Any compose interpolation, {@code ${NAME}}, {@code ${NAME:?message}}, {@code ${NAME:-default}}; not {@code $${...}}. */
    private static final Pattern COMPOSE_REFERENCE = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)");

    /** Environment variables that are the name of a file the container must find mounted. */
    private static final Pattern FILE_VARIABLE = Pattern.compile(".*_(CERT|LOCATION)");

    private static final YAMLMapper YAML = new YAMLMapper();

    /**
     * Jackson as the fabric8 model uses it, except that an unknown field is an error: every model
     * class keeps unknown fields in a map of "additional properties" (its any-setter), which
     * would let a misspelt field through silently.
     */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            });

    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> files;
    private final List<Document<Deployment>> deployments = new ArrayList<>();
    private final List<Document<Job>> jobs = new ArrayList<>();
    private final List<Document<Service>> services = new ArrayList<>();
    private final List<Document<ConfigMap>> configMaps = new ArrayList<>();
    private final List<Document<Secret>> secrets = new ArrayList<>();
    private final List<Document<PodDisruptionBudget>> disruptionBudgets = new ArrayList<>();
    private final List<Document<HorizontalPodAutoscaler>> autoscalers = new ArrayList<>();
    private final List<Document<NetworkPolicy>> networkPolicies = new ArrayList<>();
    private final List<Document<ServiceMonitor>> serviceMonitors = new ArrayList<>();
    private final List<Document<JsonNode>> kustomizations = new ArrayList<>();

    /** One object and the file it came from. */
    record Document<T>(String file, T object) {
    }

    private DeploymentManifests(Map<String, String> files) {
        this.files = files;
    }

    /** Every YAML file of deploy/kubernetes by file name, as text. */
    static Map<String, String> kubernetesFiles() {
        try (Stream<Path> paths = Files.list(KUBERNETES)) {
            Map<String, String> files = new TreeMap<>();
            for (Path path : paths.filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml")).toList()) {
                files.put(path.getFileName().toString(), Files.readString(path));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with these Kubernetes files, given the service's application.properties. */
    static List<String> kubernetesProblems(Map<String, String> files, String applicationProperties) {
        DeploymentManifests manifests = new DeploymentManifests(files);
        manifests.parse();
        if (manifests.problems.isEmpty()) {
            manifests.checkReferences(applicationProperties);
        }
        return manifests.problems;
    }

    // ---------------------------------------------------------------------------------------
    // Reading
    // ---------------------------------------------------------------------------------------

    private void parse() {
        files.forEach((file, text) -> {
            try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    if (document != null && document.isObject()) {
                        parseDocument(file, document);
                    }
                }
            } catch (IOException | RuntimeException e) {
                problems.add(file + ": not YAML: " + e.getMessage());
            }
        });
    }

    private void parseDocument(String file, JsonNode document) {
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        if (type.equals(KUSTOMIZATION)) {
            kustomizations.add(new Document<>(file, document));
            return;
        }
        Class<?> modelClass = MODEL_CLASSES.get(type);
        if (modelClass == null) {
            problems.add(file + ": " + type + " is not a kind this layout uses (" + new TreeSet<>(MODEL_CLASSES.keySet()) + ")");
            return;
        }
        Object object;
        try {
            object = STRICT.treeToValue(document, modelClass);
        } catch (IOException | IllegalArgumentException e) {
            problems.add(file + ": " + type + " does not fit the Kubernetes model: " + firstLine(e.getMessage()));
            return;
        }
        if (object instanceof Deployment deployment) {
            deployments.add(new Document<>(file, deployment));
        } else if (object instanceof Job job) {
            jobs.add(new Document<>(file, job));
        } else if (object instanceof Service service) {
            services.add(new Document<>(file, service));
        } else if (object instanceof ConfigMap configMap) {
            configMaps.add(new Document<>(file, configMap));
        } else if (object instanceof Secret secret) {
            secrets.add(new Document<>(file, secret));
        } else if (object instanceof PodDisruptionBudget budget) {
            disruptionBudgets.add(new Document<>(file, budget));
        } else if (object instanceof HorizontalPodAutoscaler autoscaler) {
            autoscalers.add(new Document<>(file, autoscaler));
        } else if (object instanceof NetworkPolicy policy) {
            networkPolicies.add(new Document<>(file, policy));
        } else if (object instanceof ServiceMonitor monitor) {
            serviceMonitors.add(new Document<>(file, monitor));
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    // ---------------------------------------------------------------------------------------
    // Cross-references
    // ---------------------------------------------------------------------------------------

    private void checkReferences(String applicationProperties) {
        if (deployments.size() != 1) {
            problems.add("deploy/kubernetes holds " + deployments.size() + " Deployments, not exactly one");
            return;
        }
        Document<Deployment> deployment = deployments.get(0);
        PodTemplateSpec pods = deployment.object().getSpec().getTemplate();
        checkSelectorOwnPods(deployment.file(), "Deployment", deployment.object().getSpec().getSelector(), pods);
        checkWorkload(deployment.file(), "Deployment", pods.getSpec(), applicationProperties, false);
        checkServices(pods);
        checkDisruptionBudgets(pods);
        checkAutoscalers(deployment);
        checkServiceMonitors();
        checkNetworkPolicies();
        checkMigrationJob(deployment, applicationProperties);
        checkSecretTemplates();
        checkKustomization();
    }

    private void checkSelectorOwnPods(String file, String kind, LabelSelector selector, PodTemplateSpec pods) {
        if (!selects(selector, pods)) {
            problems.add(file + ": the " + kind + "'s selector " + labels(selector) + " does not match its own pod labels "
                    + pods.getMetadata().getLabels());
        }
    }

    /** Probes, environment, mounts and hardening of the one container of a workload. */
    private void checkWorkload(String file, String kind, PodSpec pod, String applicationProperties, boolean migrates) {
        if (pod.getContainers().size() != 1) {
            problems.add(file + ": the " + kind + " has " + pod.getContainers().size() + " containers, not one");
            return;
        }
        Container container = pod.getContainers().get(0);
        if (!migrates) {
            checkProbes(file, container);
        }
        Map<String, String> environment = environment(file, container);
        String migrateAtStart = environment.getOrDefault("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        if (migrates != Boolean.parseBoolean(migrateAtStart)) {
            problems.add(file + ": the " + kind + " sets QUARKUS_FLYWAY_MIGRATE_AT_START=" + migrateAtStart
                    + "; only the migration Job migrates");
        }
        if (!migrates && environment.containsKey("POINTS_LEDGER_DB_MIGRATION_PASSWORD")) {
            problems.add(file + ": the " + kind + " receives POINTS_LEDGER_DB_MIGRATION_PASSWORD; the service must not hold the owner's login");
        }
        String sslMode = environment.getOrDefault("POINTS_LEDGER_DB_SSL_MODE", "verify-full");
        for (String variable : requiredVariables(applicationProperties, migrateAtStart, sslMode)) {
            if (!environment.containsKey(variable)) {
                problems.add(file + ": the " + kind + " does not set " + variable + ", which production requires");
            }
        }
        checkMountedFiles(file, kind, pod, container, environment);
        checkHardening(file, kind, pod, container);
    }

    /**
     * Each probe on the management port, at the endpoint that means what the probe asks. Startup
     * asks /q/health/live: /q/health/started includes the Kafka producers' connection and stays
     * DOWN while the broker is unreachable, which would keep every new instance from starting.
     */
    private void checkProbes(String file, Container container) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("startupProbe", container.getStartupProbe());
        probes.put("livenessProbe", container.getLivenessProbe());
        probes.put("readinessProbe", container.getReadinessProbe());
        Map<String, String> paths = Map.of("startupProbe", "/q/health/live", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        probes.forEach((name, probe) -> {
            HTTPGetAction get = probe == null ? null : probe.getHttpGet();
            if (get == null) {
                problems.add(file + ": the container has no HTTP " + name);
            } else if (!paths.get(name).equals(get.getPath())) {
                problems.add(file + ": the " + name + " asks " + get.getPath() + ", not " + paths.get(name));
            } else if (containerPort(container, get.getPort()).isEmpty()) {
                problems.add(file + ": the " + name + " port " + text(get.getPort()) + " is not a port of the container");
            } else if (containerPort(container, get.getPort()).get().getContainerPort() != 9000) {
                problems.add(file + ": the " + name + " does not probe the management port 9000");
            }
        });
    }

    /**
     * The container's environment as far as the manifests say: literal values, and for a
     * reference to a ConfigMap its value there, for one to a Secret the placeholder "(secret)".
     * A reference to an object or a key that the manifests lack is a problem.
     */
    private Map<String, String> environment(String file, Container container) {
        Map<String, String> environment = new TreeMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                configMap(source.getConfigMapRef().getName()).ifPresentOrElse(
                        configMap -> environment.putAll(configMap.getData()),
                        () -> problems.add(file + ": envFrom names ConfigMap " + source.getConfigMapRef().getName() + ", which is not in deploy/kubernetes"));
            }
            if (source.getSecretRef() != null) {
                secretKeys(source.getSecretRef().getName()).ifPresentOrElse(
                        keys -> keys.forEach(key -> environment.put(key, "(secret)")),
                        () -> problems.add(file + ": envFrom names Secret " + source.getSecretRef().getName() + ", which is not in the Secret template"));
            }
        }
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() == null) {
                environment.put(variable.getName(), Objects.toString(variable.getValue(), ""));
            } else if (variable.getValueFrom().getSecretKeyRef() != null) {
                var reference = variable.getValueFrom().getSecretKeyRef();
                if (!secretKeys(reference.getName()).orElse(Set.of()).contains(reference.getKey())) {
                    problems.add(file + ": " + variable.getName() + " refers to key " + reference.getKey() + " of Secret "
                            + reference.getName() + ", which is not in the Secret template");
                }
                environment.put(variable.getName(), "(secret)");
            } else if (variable.getValueFrom().getConfigMapKeyRef() != null) {
                var reference = variable.getValueFrom().getConfigMapKeyRef();
                String value = configMap(reference.getName()).map(configMap -> configMap.getData().get(reference.getKey())).orElse(null);
                if (value == null) {
                    problems.add(file + ": " + variable.getName() + " refers to key " + reference.getKey() + " of ConfigMap "
                            + reference.getName() + ", which has no such key");
                }
                environment.put(variable.getName(), Objects.toString(value, ""));
            }
        }
        return environment;
    }

    /** Every file a variable names (a CA certificate, a trust store) is mounted from a Secret that has it. */
    private void checkMountedFiles(String file, String kind, PodSpec pod, Container container, Map<String, String> environment) {
        environment.forEach((variable, value) -> {
            if (!FILE_VARIABLE.matcher(variable).matches() || !value.startsWith("/")) {
                return;
            }
            Optional<VolumeMount> mount = container.getVolumeMounts().stream()
                    .filter(candidate -> value.startsWith(candidate.getMountPath() + "/")).findFirst();
            if (mount.isEmpty()) {
                problems.add(file + ": " + variable + "=" + value + " is not under any volume mount of the " + kind);
                return;
            }
            String fileName = value.substring(mount.get().getMountPath().length() + 1);
            Optional<Volume> volume = pod.getVolumes().stream().filter(candidate -> candidate.getName().equals(mount.get().getName())).findFirst();
            if (volume.isEmpty() || volume.get().getSecret() == null) {
                problems.add(file + ": " + variable + " is mounted from " + mount.get().getName() + ", which is not a Secret volume of the " + kind);
                return;
            }
            String secretName = volume.get().getSecret().getSecretName();
            Set<String> keys = secretKeys(secretName).orElse(Set.of());
            List<KeyToPath> items = volume.get().getSecret().getItems();
            boolean found = items.isEmpty() ? keys.contains(fileName)
                    : items.stream().anyMatch(item -> item.getPath().equals(fileName) && keys.contains(item.getKey()));
            if (!found) {
                problems.add(file + ": " + variable + " names " + fileName + ", which Secret " + secretName
                        + " does not hold (Secret template keys " + keys + ")");
            }
        });
    }

    private void checkHardening(String file, String kind, PodSpec pod, Container container) {
        if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
            problems.add(file + ": the " + kind + "'s pods do not set runAsNonRoot: true");
        }
        var security = container.getSecurityContext();
        if (security == null || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
                || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
            problems.add(file + ": the " + kind + "'s container must set readOnlyRootFilesystem: true and allowPrivilegeEscalation: false");
        }
        var resources = container.getResources();
        if (resources == null || !resources.getRequests().containsKey("cpu") || !resources.getRequests().containsKey("memory")
                || !resources.getLimits().containsKey("memory")) {
            problems.add(file + ": the " + kind + "'s container must request cpu and memory and limit memory");
        }
    }

    private void checkServices(PodTemplateSpec pods) {
        for (Document<Service> service : services) {
            Map<String, String> selector = service.object().getSpec().getSelector();
            if (selector == null || selector.isEmpty() || !pods.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())) {
                problems.add(service.file() + ": Service " + service.object().getMetadata().getName() + " selects no pod of the Deployment: selector "
                        + selector + ", pod labels " + pods.getMetadata().getLabels());
            }
            for (Document<Job> job : jobs) {
                if (selector != null && job.object().getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet())) {
                    problems.add(service.file() + ": Service " + service.object().getMetadata().getName() + " also selects the pods of Job "
                            + job.object().getMetadata().getName());
                }
            }
            Container container = pods.getSpec().getContainers().get(0);
            for (ServicePort port : service.object().getSpec().getPorts()) {
                if (containerPort(container, port.getTargetPort()).isEmpty()) {
                    problems.add(service.file() + ": Service port " + port.getName() + " targets " + text(port.getTargetPort())
                            + ", which is not a port of the Deployment's container");
                }
            }
        }
    }

    private void checkDisruptionBudgets(PodTemplateSpec pods) {
        for (Document<PodDisruptionBudget> budget : disruptionBudgets) {
            LabelSelector selector = budget.object().getSpec().getSelector();
            if (!selects(selector, pods)) {
                problems.add(budget.file() + ": PodDisruptionBudget " + budget.object().getMetadata().getName()
                        + " selects no pod of the Deployment: selector " + labels(selector) + ", pod labels " + pods.getMetadata().getLabels());
            }
            for (Document<Job> job : jobs) {
                if (selects(selector, job.object().getSpec().getTemplate())) {
                    problems.add(budget.file() + ": PodDisruptionBudget " + budget.object().getMetadata().getName()
                            + " also counts the pods of Job " + job.object().getMetadata().getName());
                }
            }
        }
    }

    private void checkAutoscalers(Document<Deployment> deployment) {
        for (Document<HorizontalPodAutoscaler> autoscaler : autoscalers) {
            CrossVersionObjectReference target = autoscaler.object().getSpec().getScaleTargetRef();
            if (!"apps/v1".equals(target.getApiVersion()) || !"Deployment".equals(target.getKind())
                    || !deployment.object().getMetadata().getName().equals(target.getName())) {
                problems.add(autoscaler.file() + ": HorizontalPodAutoscaler " + autoscaler.object().getMetadata().getName() + " targets "
                        + target.getApiVersion() + " " + target.getKind() + " " + target.getName() + ", not the Deployment "
                        + deployment.object().getMetadata().getName());
            }
            if (deployment.object().getSpec().getReplicas() != null) {
                problems.add(deployment.file() + ": the Deployment sets replicas, which every apply would reset under the HorizontalPodAutoscaler");
            }
            Integer minimum = autoscaler.object().getSpec().getMinReplicas();
            String fallback = configMaps.stream().map(configMap -> configMap.object().getData().get("POINTS_LEDGER_SECURITY_RATE_LIMITER_FALLBACK_INSTANCES"))
                    .filter(Objects::nonNull).findFirst().orElse(null);
            if (minimum == null || minimum < 2 || !minimum.toString().equals(fallback)) {
                problems.add(autoscaler.file() + ": minReplicas " + minimum + " must be at least 2 and equal POINTS_LEDGER_SECURITY_RATE_LIMITER_FALLBACK_INSTANCES ("
                        + fallback + "), the instances a partner's limit is divided among while Redis is down");
            }
        }
    }

    private void checkServiceMonitors() {
        for (Document<ServiceMonitor> monitor : serviceMonitors) {
            LabelSelector selector = monitor.object().getSpec().getSelector();
            List<Document<Service>> selected = services.stream()
                    .filter(service -> matches(selector, service.object().getMetadata().getLabels())).toList();
            if (selected.isEmpty()) {
                problems.add(monitor.file() + ": ServiceMonitor " + monitor.object().getMetadata().getName() + " selects no Service: selector "
                        + labels(selector));
            }
            for (Endpoint endpoint : monitor.object().getSpec().getEndpoints()) {
                for (Document<Service> service : selected) {
                    Optional<ServicePort> port = service.object().getSpec().getPorts().stream()
                            .filter(candidate -> candidate.getName().equals(endpoint.getPort())).findFirst();
                    if (port.isEmpty()) {
                        problems.add(monitor.file() + ": ServiceMonitor endpoint port " + endpoint.getPort() + " is not a port name of Service "
                                + service.object().getMetadata().getName());
                    } else if (port.get().getPort() != 9000) {
                        problems.add(monitor.file() + ": ServiceMonitor endpoint port " + endpoint.getPort() + " is not the management port 9000");
                    }
                }
                if (!"/q/metrics".equals(endpoint.getPath())) {
                    problems.add(monitor.file() + ": ServiceMonitor path " + endpoint.getPath() + " is not /q/metrics");
                }
            }
        }
    }

    private void checkNetworkPolicies() {
        List<PodTemplateSpec> workloads = new ArrayList<>();
        deployments.forEach(deployment -> workloads.add(deployment.object().getSpec().getTemplate()));
        jobs.forEach(job -> workloads.add(job.object().getSpec().getTemplate()));
        for (Document<NetworkPolicy> policy : networkPolicies) {
            LabelSelector selector = policy.object().getSpec().getPodSelector();
            List<PodTemplateSpec> selected = workloads.stream().filter(pods -> selects(selector, pods)).toList();
            if (selected.isEmpty()) {
                problems.add(policy.file() + ": NetworkPolicy " + policy.object().getMetadata().getName() + " selects no pod: selector " + labels(selector));
            }
            for (NetworkPolicyIngressRule rule : policy.object().getSpec().getIngress()) {
                for (NetworkPolicyPort port : rule.getPorts()) {
                    for (PodTemplateSpec pods : selected) {
                        if (containerPort(pods.getSpec().getContainers().get(0), port.getPort()).isEmpty()) {
                            problems.add(policy.file() + ": NetworkPolicy " + policy.object().getMetadata().getName() + " admits port "
                                    + text(port.getPort()) + ", which is not a port of the pods it selects");
                        }
                    }
                }
            }
        }
    }

    private void checkMigrationJob(Document<Deployment> deployment, String applicationProperties) {
        if (jobs.size() != 1) {
            problems.add("deploy/kubernetes holds " + jobs.size() + " Jobs, not exactly the migration Job");
            return;
        }
        Document<Job> job = jobs.get(0);
        PodSpec pod = job.object().getSpec().getTemplate().getSpec();
        checkWorkload(job.file(), "migration Job", pod, applicationProperties, true);
        if (pod.getContainers().size() != 1) {
            return;
        }
        Container container = pod.getContainers().get(0);
        Map<String, String> environment = environment(job.file(), container);
        if (!"true".equals(environment.get("QUARKUS_INIT_AND_EXIT"))) {
            problems.add(job.file() + ": the migration Job does not set QUARKUS_INIT_AND_EXIT=true, so it would serve instead of exiting");
        }
        String image = deployment.object().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        if (!Objects.equals(image, container.getImage())) {
            problems.add(job.file() + ": the migration Job runs " + container.getImage() + ", not the Deployment's image " + image);
        }
    }

    /** The templates hold names and keys only, never a value. */
    private void checkSecretTemplates() {
        for (Document<Secret> secret : secrets) {
            Stream.concat(secret.object().getData().entrySet().stream(), secret.object().getStringData().entrySet().stream())
                    .filter(entry -> entry.getValue() != null && !entry.getValue().isEmpty())
                    .forEach(entry -> problems.add(secret.file() + ": Secret " + secret.object().getMetadata().getName() + " key "
                            + entry.getKey() + " has a value; the template must hold none"));
        }
    }

    private void checkKustomization() {
        for (Document<JsonNode> kustomization : kustomizations) {
            for (JsonNode resource : kustomization.object().path("resources")) {
                if (!files.containsKey(resource.asText())) {
                    problems.add(kustomization.file() + ": resource " + resource.asText() + " is not a file of deploy/kubernetes");
                }
            }
            if (kustomization.object().path("resources").toString().contains("secret-template.yaml")) {
                problems.add(kustomization.file() + ": lists secret-template.yaml, whose empty values would replace the real Secrets");
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // What production requires
    // ---------------------------------------------------------------------------------------

    /**
     * The environment variables a production start needs: references without a default in the
     * production profile of application.properties, and what {@link ProductionSettings} refuses
     * to start without, given whether the instance migrates and its TLS mode to PostgreSQL.
     */
    static Set<String> requiredVariables(String applicationProperties, String migrateAtStart, String sslMode) {
        Set<String> variables = new TreeSet<>(productionReferences(applicationProperties));
        Map<String, String> settings = Map.of(
                "quarkus.flyway.migrate-at-start", migrateAtStart,
                "quarkus.datasource.reactive.postgresql.ssl-mode", sslMode);
        for (String problem : new ProductionSettings(name -> Optional.ofNullable(settings.get(name))).problems()) {
            Matcher variable = Pattern.compile("^([A-Z][A-Z0-9_]+)").matcher(problem);
            if (variable.find()) {
                variables.add(variable.group(1));
            }
        }
        return variables;
    }

    /** {@code ${VARIABLE}} without a default in the values production reads (plain keys, %prod overriding them). */
    static Set<String> productionReferences(String applicationProperties) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(applicationProperties));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> production = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(key -> !key.startsWith("%"))
                .forEach(key -> production.put(key, properties.getProperty(key)));
        properties.stringPropertyNames().stream().filter(key -> key.startsWith("%prod."))
                .forEach(key -> production.put(key.substring("%prod.".length()), properties.getProperty(key)));
        Set<String> variables = new TreeSet<>();
        for (String value : production.values()) {
            Matcher reference = REQUIRED_REFERENCE.matcher(value);
            while (reference.find()) {
                variables.add(reference.group(1));
            }
        }
        return variables;
    }

    // ---------------------------------------------------------------------------------------
    // Compose
    // ---------------------------------------------------------------------------------------

    /**
     * What is wrong with compose.yaml and its .env.example: a variable used but not listed,
     * one listed but unused, and a production variable the service's container lacks.
     */
    static List<String> composeProblems(String compose, String envExample, String applicationProperties) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = YAML.readTree(compose);
        } catch (IOException e) {
            return List.of("compose.yaml: not YAML: " + firstLine(e.getMessage()));
        }
        Set<String> used = new TreeSet<>();
        collectStrings(root, value -> {
            Matcher reference = COMPOSE_REFERENCE.matcher(value);
            while (reference.find()) {
                used.add(reference.group(1));
            }
        });
        Set<String> listed = new TreeSet<>();
        envExample.lines().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#") && line.contains("="))
                .forEach(line -> listed.add(line.substring(0, line.indexOf('=')).trim()));
        used.stream().filter(variable -> !listed.contains(variable))
                .forEach(variable -> problems.add("compose.yaml: uses ${" + variable + "}, which .env.example does not list"));
        listed.stream().filter(variable -> !used.contains(variable))
                .forEach(variable -> problems.add(".env.example: lists " + variable + ", which compose.yaml does not use"));

        JsonNode service = root.path("services").path("points-ledger");
        if (!service.path("environment").isObject()) {
            problems.add("compose.yaml: service points-ledger has no environment map");
            return problems;
        }
        Map<String, String> environment = new TreeMap<>();
        service.path("environment").fields().forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        String migrateAtStart = environment.getOrDefault("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        String sslMode = environment.getOrDefault("POINTS_LEDGER_DB_SSL_MODE", "verify-full");
        for (String variable : requiredVariables(applicationProperties, migrateAtStart, sslMode)) {
            if (!environment.containsKey(variable)) {
                problems.add("compose.yaml: service points-ledger does not set " + variable + ", which production requires");
            }
        }
        return problems;
    }

    private static void collectStrings(JsonNode node, Consumer<String> consumer) {
        if (node.isTextual()) {
            consumer.accept(node.asText());
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            collectStrings(children.next(), consumer);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------

    private Optional<ConfigMap> configMap(String name) {
        return configMaps.stream().map(Document::object).filter(configMap -> configMap.getMetadata().getName().equals(name)).findFirst();
    }

    private Optional<Set<String>> secretKeys(String name) {
        return secrets.stream().map(Document::object).filter(secret -> secret.getMetadata().getName().equals(name)).findFirst()
                .map(secret -> {
                    Set<String> keys = new TreeSet<>(secret.getData().keySet());
                    keys.addAll(secret.getStringData().keySet());
                    return keys;
                });
    }

    private static Optional<ContainerPort> containerPort(Container container, IntOrString port) {
        if (port == null) {
            return Optional.empty();
        }
        return container.getPorts().stream()
                .filter(candidate -> port.getStrVal() != null ? port.getStrVal().equals(candidate.getName())
                        : Objects.equals(port.getIntVal(), candidate.getContainerPort()))
                .findFirst();
    }

    private static boolean selects(LabelSelector selector, PodTemplateSpec pods) {
        return matches(selector, pods.getMetadata().getLabels());
    }

    /** matchLabels only: a selector with expressions is not used here and counts as no match. */
    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return selector != null && selector.getMatchExpressions().isEmpty() && !selector.getMatchLabels().isEmpty()
                && labels != null && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static String labels(LabelSelector selector) {
        return selector == null ? "(none)" : String.valueOf(selector.getMatchLabels());
    }

    private static String text(IntOrString port) {
        return port == null ? "(none)" : port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal());
    }
}
