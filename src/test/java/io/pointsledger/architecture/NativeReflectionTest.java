package io.pointsledger.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every class Jackson reads or writes must be open to reflection in a native executable. Quarkus
 * REST registers what a resource method's signature shows, parameters and return type with their
 * generic arguments and, from there, every field type (a reflective hierarchy). It cannot see:
 *
 * <ul>
 * <li>the body of a {@code Response} (or {@code Uni<Response>}): a resource names it in its
 * {@code @APIResponse} schema, which is where this test reads it;
 * <li>a class the code hands to Jackson itself: {@code readValue(…, X.class)},
 * {@code convertValue(…, X.class)}, {@code writeValueAsString(X.of(…))} and the like, found by
 * scanning the sources.
 * </ul>
 *
 * Those, and every class of ours they hold, must be reachable from a resource signature or carry
 * {@code @RegisterForReflection}. When the native build has written its reflection configuration
 * ({@code ./mvnw package -DskipTests -Dnative -Dquarkus.native.sources-only=true}, as CI does), the
 * last test checks that configuration itself.
 */
class NativeReflectionTest {

    private static final String ROOT = "io.pointsledger";
    private static final Path CLASSES = Path.of("target/classes");
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path NATIVE_SOURCES = Path.of("target/native-sources");

    /** A call that hands a class to Jackson, and what the class is named by within its arguments. */
    private static final Pattern JACKSON_CALL = Pattern.compile(
            "\\b(?:readValue|convertValue|treeToValue|mapTo|readerFor|writeValueAsString|writeValueAsBytes)\\s*\\(([^;]*)");
    private static final Pattern NAMED_CLASS = Pattern.compile("\\b([A-Z]\\w*)(?:\\.class\\b|\\.of\\(|\\.from\\()|\\bnew\\s+([A-Z]\\w*)\\s*\\(");

    /** Parameter annotations that make a parameter something other than the request body. */
    private static final Set<String> NON_BODY_ANNOTATION_PACKAGES = Set.of("org.jboss.resteasy.reactive", "jakarta.ws.rs", "jakarta.ws.rs.core");

    private static List<Class<?>> mainClasses;
    private static Map<String, String> mainSources;

    @BeforeAll
    static void readTheApplication() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            List<Class<?>> classes = new ArrayList<>();
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.startsWith(ROOT + ".")) {
                    classes.add(loadWithoutInitializing(name));
                }
            }
            mainClasses = classes;
        }
        try (Stream<Path> files = Files.walk(SOURCES)) {
            Map<String, String> sources = new TreeMap<>();
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                sources.put(SOURCES.relativize(file).toString(), Files.readString(file));
            }
            mainSources = sources;
        }
    }

    @Test
    void shouldOpenEveryJsonTypeToReflection() {
        Map<Class<?>, String> unsafe = unsafeTypes(required(), annotation -> true);

        assertEquals(Map.of(), names(unsafe),
                "classes Jackson reads or writes that a native executable could not reflect on: add @RegisterForReflection");
    }

    /** Without a declared body class the first test could not know what a Response carries. */
    @Test
    void shouldNameTheBodyOfEveryResponseAResourceBuilds() {
        List<String> undeclared = new ArrayList<>();
        for (Method method : resourceMethods()) {
            if (!returnsResponse(method)) {
                continue;
            }
            for (APIResponse response : method.getAnnotationsByType(APIResponse.class)) {
                boolean hasBody = response.responseCode().startsWith("2") && !response.responseCode().equals("204");
                boolean named = Arrays.stream(response.content()).anyMatch(content -> content.schema().implementation() != Void.class);
                if (hasBody && !named) {
                    undeclared.add(method.getDeclaringClass().getSimpleName() + "." + method.getName() + " " + response.responseCode());
                }
            }
        }

        assertEquals(List.of(), undeclared, "a Response-returning resource method must name its body in @APIResponse(content = @Content(schema = @Schema(implementation = …)))");
    }

    /** The check above is not vacuous: a type that lost its annotation is reported, with why it is needed. */
    @Test
    void shouldReportAJsonTypeThatLostItsRegistration() throws ClassNotFoundException {
        Class<?> captureRequest = Class.forName(ROOT + ".holds.CaptureRequest");
        Class<?> transferReceipt = Class.forName(ROOT + ".ledger.TransferReceipt");

        Map<Class<?>, String> unsafe = unsafeTypes(required(), type -> type != captureRequest && type != transferReceipt);

        assertTrue(unsafe.containsKey(captureRequest), () -> "read with readValue, yet not reported: " + names(unsafe));
        assertTrue(unsafe.get(captureRequest).contains("HoldResource.java"), unsafe::toString);
        assertTrue(unsafe.containsKey(transferReceipt), () -> "the body of Response answers, yet not reported: " + names(unsafe));
    }

    /**
     * The registrations as the native build wrote them (native-image's reflect-config.json in the
     * runner jar of target/native-sources). Runs when that build is newer than the compiled
     * classes; CI runs the build and then this test.
     */
    @Test
    void shouldFindEveryJsonTypeInTheNativeBuildsReflectionConfiguration() throws IOException {
        Path runner = nativeRunnerJar();
        assumeTrue(runner != null && Files.getLastModifiedTime(runner).compareTo(newestClassFile()) >= 0,
                "no native sources build newer than target/classes");
        Set<String> registered = new LinkedHashSet<>();
        try (ZipFile jar = new ZipFile(runner.toFile()); InputStream config = jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json"))) {
            for (JsonNode entry : new ObjectMapper().readTree(config)) {
                if (entry.path("allDeclaredConstructors").asBoolean() && entry.path("allDeclaredMethods").asBoolean()
                        && entry.path("allDeclaredFields").asBoolean()) {
                    registered.add(entry.path("name").asText());
                }
            }
        }
        Map<Class<?>, String> missing = new TreeMap<>(Comparator.comparing(Class::getName));
        required().forEach((type, reason) -> {
            if (!registered.contains(type.getName())) {
                missing.put(type, reason);
            }
        });

        assertEquals(Map.of(), names(missing), "JSON types without full reflection in " + runner);
    }

    /**
     * partners.ScopeAuthorization reads each resource method's {@code @RequiresScope} through
     * {@code ResourceInfo.getResourceMethod()}, which is reflection: in a native executable every
     * resource class must have its declared methods registered, or no scope could be read and
     * every request would be refused.
     */
    @Test
    void shouldOpenEveryResourceMethodToReflectionInTheNativeBuild() throws IOException {
        Path runner = nativeRunnerJar();
        assumeTrue(runner != null && Files.getLastModifiedTime(runner).compareTo(newestClassFile()) >= 0,
                "no native sources build newer than target/classes");
        Set<String> methodsRegistered = new LinkedHashSet<>();
        try (ZipFile jar = new ZipFile(runner.toFile()); InputStream config = jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json"))) {
            for (JsonNode entry : new ObjectMapper().readTree(config)) {
                if (entry.path("allDeclaredMethods").asBoolean()) {
                    methodsRegistered.add(entry.path("name").asText());
                }
            }
        }
        Set<String> resources = resourceMethods().stream().map(method -> method.getDeclaringClass().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(resources.isEmpty(), "no resource class found in " + CLASSES);
        resources.removeAll(methodsRegistered);

        assertEquals(Set.of(), resources, "resource classes whose methods a native executable could not reflect on");
    }

    // ---------------------------------------------------------------------------------------

    /** What Jackson handles beyond resource signatures, with why, and every class of ours inside them. */
    private static Map<Class<?>, String> required() {
        Map<Class<?>, String> required = new TreeMap<>(Comparator.comparing(Class::getName));
        for (Method method : resourceMethods()) {
            if (!returnsResponse(method)) {
                continue;
            }
            for (APIResponse response : method.getAnnotationsByType(APIResponse.class)) {
                for (Content content : response.content()) {
                    Class<?> body = content.schema().implementation();
                    if (body != Void.class) {
                        addWithContents(required, body, "the body of " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
                                + "'s Response");
                    }
                }
            }
        }
        mainSources.forEach((file, source) -> {
            Matcher call = JACKSON_CALL.matcher(source);
            while (call.find()) {
                Matcher named = NAMED_CLASS.matcher(call.group(1));
                while (named.find()) {
                    String simpleName = named.group(1) != null ? named.group(1) : named.group(2);
                    mainClasses.stream().filter(type -> type.getSimpleName().equals(simpleName)).findFirst()
                            .ifPresent(type -> addWithContents(required, type, "handed to Jackson in " + file));
                }
            }
        });
        return required;
    }

    /** The required types that are neither reachable from a resource signature nor annotated (as the predicate sees it). */
    private static Map<Class<?>, String> unsafeTypes(Map<Class<?>, String> required, Predicate<Class<?>> annotationCounts) {
        Set<Class<?>> reachable = reachableFromResourceSignatures();
        Map<Class<?>, String> unsafe = new TreeMap<>(Comparator.comparing(Class::getName));
        required.forEach((type, reason) -> {
            boolean annotated = type.isAnnotationPresent(RegisterForReflection.class) && annotationCounts.test(type);
            if (!annotated && !reachable.contains(type)) {
                unsafe.put(type, reason);
            }
        });
        return unsafe;
    }

    /** What Quarkus REST registers by itself: the reflective hierarchy of every parameter and return type. */
    private static Set<Class<?>> reachableFromResourceSignatures() {
        Map<Class<?>, String> reachable = new TreeMap<>(Comparator.comparing(Class::getName));
        for (Method method : resourceMethods()) {
            addWithContents(reachable, method.getGenericReturnType(), "returned");
            for (Parameter parameter : method.getParameters()) {
                if (isBody(parameter)) {
                    addWithContents(reachable, parameter.getParameterizedType(), "a body");
                }
            }
        }
        return reachable.keySet();
    }

    private static List<Method> resourceMethods() {
        return mainClasses.stream().flatMap(type -> Arrays.stream(type.getDeclaredMethods()))
                .filter(method -> !method.isSynthetic() && Arrays.stream(method.getAnnotations())
                        .anyMatch(annotation -> annotation.annotationType().isAnnotationPresent(HttpMethod.class)))
                .toList();
    }

    private static boolean returnsResponse(Method method) {
        Type type = method.getGenericReturnType();
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Uni.class) {
            type = parameterized.getActualTypeArguments()[0];
        }
        return type == Response.class;
    }

    private static boolean isBody(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            if (NON_BODY_ANNOTATION_PACKAGES.contains(annotation.annotationType().getPackageName())) {
                return false;
            }
        }
        return true;
    }

    /** The class or type, and every class of ours it holds in a field or record component, transitively. */
    private static void addWithContents(Map<Class<?>, String> into, Type type, String reason) {
        if (type instanceof ParameterizedType parameterized) {
            addWithContents(into, parameterized.getRawType(), reason);
            for (Type argument : parameterized.getActualTypeArguments()) {
                addWithContents(into, argument, reason);
            }
        } else if (type instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                addWithContents(into, bound, reason);
            }
        } else if (type instanceof GenericArrayType array) {
            addWithContents(into, array.getGenericComponentType(), reason);
        } else if (type instanceof Class<?> named && named.isArray()) {
            addWithContents(into, named.getComponentType(), reason);
        } else if (type instanceof Class<?> named && named.getName().startsWith(ROOT + ".") && !into.containsKey(named)) {
            into.put(named, reason);
            if (named.isEnum()) {
                return;
            }
            if (named.isRecord()) {
                for (RecordComponent component : named.getRecordComponents()) {
                    addWithContents(into, component.getGenericType(), reason + ", in " + named.getSimpleName());
                }
            } else {
                for (Field field : named.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
                        addWithContents(into, field.getGenericType(), reason + ", in " + named.getSimpleName());
                    }
                }
            }
        }
    }

    private static Map<String, String> names(Map<Class<?>, String> types) {
        return types.entrySet().stream().collect(Collectors.toMap(entry -> entry.getKey().getName(), Map.Entry::getValue,
                (first, second) -> first, TreeMap::new));
    }

    private static Class<?> loadWithoutInitializing(String name) {
        try {
            return Class.forName(name, false, NativeReflectionTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path nativeRunnerJar() throws IOException {
        if (!Files.isDirectory(NATIVE_SOURCES)) {
            return null;
        }
        try (Stream<Path> files = Files.list(NATIVE_SOURCES)) {
            return files.filter(path -> path.getFileName().toString().endsWith("-runner.jar")).findFirst().orElse(null);
        }
    }

    private static FileTime newestClassFile() {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(path -> path.toString().endsWith(".class")).map(path -> {
                try {
                    return Files.getLastModifiedTime(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max(Comparator.naturalOrder()).orElse(FileTime.fromMillis(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
