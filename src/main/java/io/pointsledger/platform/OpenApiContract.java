package io.pointsledger.platform;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the OpenAPI document with what every operation shares, so that a resource annotates
 * only what is its own (success answer, specific error codes) and a new endpoint is documented
 * like the others without anyone remembering to:
 * <ul>
 * <li>the bearer API key every operation needs;</li>
 * <li>error answers as {@code application/problem+json} {@link Problem}s, grouped by status, each
 * listing the {@link ErrorCode}s it can carry: those every authenticated call can meet, those its
 * parameters, body and {@code Idempotency-Key} can cause, and those its method names in the
 * {@link #ERROR_CODES} extension;</li>
 * <li>the {@code Idempotency-Key} header as required, with its limits, and
 * {@code Idempotent-Replayed} on the answers of such writes;</li>
 * <li>one rule for absent values: every property of an answer is always sent, as null when
 * absent; those that can be null say so ({@code @Schema(nullable = true)}).</li>
 * </ul>
 * It runs once, when the application is built: nothing of it is left to do at run time.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiContract implements OASFilter {

    /**
     * Operation extension naming, comma separated, the error codes particular to the operation
     * (MEMBER_NOT_FOUND, INSUFFICIENT_POINTS ...). Consumed here: the document shows them as responses.
     */
    public static final String ERROR_CODES = "x-error-codes";

    /**
     * Marks an operation that needs no API key (its request carries its own proof): the document
     * then asks no security of it and lists none of the key's refusals.
     */
    public static final String ANONYMOUS = "x-anonymous";

    private static final String SECURITY_SCHEME = "apiKey";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String PROBLEM = "Problem";
    private static final String ERROR_CODE = "ErrorCode";
    private static final String RETRY_AFTER = "Retry-After";
    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";

    /** What any authenticated call can meet, whatever it does. */
    private static final Set<ErrorCode> EVERY_OPERATION = EnumSet.of(ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN_SCOPE,
            ErrorCode.RATE_LIMITED, ErrorCode.INTERNAL_ERROR, ErrorCode.SERVICE_UNAVAILABLE);

    /** What a call without a key can meet, whatever it does. */
    private static final Set<ErrorCode> EVERY_ANONYMOUS_OPERATION = EnumSet.of(ErrorCode.INTERNAL_ERROR,
            ErrorCode.SERVICE_UNAVAILABLE);

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        Components components = openApi.getComponents();
        components.addSchema(ERROR_CODE, errorCodeSchema());
        components.getSchemas().get(PROBLEM).addProperty("code", reference(ERROR_CODE));
        for (ErrorCode code : ErrorCode.values()) {
            components.addExample(code.name(), OASFactory.createExample().summary(code.title()).value(exampleOf(code)));
        }
        inlineNullableReferences(components.getSchemas());
        requireApiKeys(openApi);
        List<Operation> operations = openApi.getPaths().getPathItems().values().stream()
                .flatMap(path -> path.getOperations().values().stream())
                .toList();
        for (Operation operation : operations) {
            openIfAnonymous(operation);
            describeIdempotency(operation);
            replaceProblemResponses(operation.getResponses(), errorCodes(operation));
        }
        requireEveryAnswerProperty(components.getSchemas(), operations);
    }

    private static void requireApiKeys(OpenAPI openApi) {
        openApi.getComponents().addSecurityScheme(SECURITY_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .description("An API key: the program operator's, or one issued to a partner "
                        + "(POST /v1/admin/partners/{partnerId}/keys). Each operation names the scope it needs."));
        openApi.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SECURITY_SCHEME));
    }

    private static void openIfAnonymous(Operation operation) {
        if (isAnonymous(operation)) {
            operation.setSecurity(new ArrayList<>());
        }
    }

    private static boolean isAnonymous(Operation operation) {
        return operation.getExtensions() != null && operation.getExtensions().containsKey(ANONYMOUS);
    }

    private static void describeIdempotency(Operation operation) {
        for (Parameter parameter : parameters(operation)) {
            if (isIdempotencyKey(parameter)) {
                describeIdempotencyKey(parameter);
                markReplays(operation.getResponses());
            }
        }
    }

    /** What the operation can answer with: what every call meets, and what its inputs and its service cause. */
    private static Set<ErrorCode> errorCodes(Operation operation) {
        Set<ErrorCode> codes = EnumSet.copyOf(isAnonymous(operation) ? EVERY_ANONYMOUS_OPERATION : EVERY_OPERATION);
        codes.addAll(specificCodes(operation));
        for (Parameter parameter : parameters(operation)) {
            codes.addAll(codesFor(parameter));
        }
        if (operation.getRequestBody() != null) {
            codes.addAll(EnumSet.of(ErrorCode.MALFORMED_REQUEST, ErrorCode.VALIDATION_FAILED, ErrorCode.REQUEST_TOO_LARGE));
            // Only the optional capture body accepts any media type (terminals send none); JSON bodies refuse others.
            if (Boolean.TRUE.equals(operation.getRequestBody().getRequired())) {
                codes.add(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
            }
        }
        return codes;
    }

    /** One problem answer per status, in place of the bare ones generated from the validation annotations. */
    private static void replaceProblemResponses(APIResponses responses, Set<ErrorCode> codes) {
        responses.getAPIResponses().keySet().stream()
                .filter(status -> status.startsWith("4") || status.startsWith("5"))
                .toList()
                .forEach(responses::removeAPIResponse);
        Map<Integer, List<ErrorCode>> byStatus = codes.stream()
                .collect(Collectors.groupingBy(ErrorCode::status, TreeMap::new, Collectors.toList()));
        byStatus.forEach((status, sharing) -> responses.addAPIResponse(Integer.toString(status), problemResponse(sharing)));
    }

    private static List<Parameter> parameters(Operation operation) {
        return operation.getParameters() == null ? List.of() : operation.getParameters();
    }

    /** The codes named by {@link #ERROR_CODES}, which the scanner copies onto the responses too; removed from both. */
    private static Set<ErrorCode> specificCodes(Operation operation) {
        Object named = operation.getExtensions() == null ? null : operation.getExtensions().get(ERROR_CODES);
        if (named == null) {
            return Set.of();
        }
        operation.removeExtension(ERROR_CODES);
        operation.getResponses().getAPIResponses().values().forEach(response -> response.removeExtension(ERROR_CODES));
        return Stream.of(named.toString().split(","))
                .map(String::trim)
                .map(ErrorCode::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ErrorCode.class)));
    }

    /**
     * A path parameter the router cannot convert (a malformed id) finds no resource; a query
     * parameter is checked by the service; the idempotency key by the write path.
     */
    private static Set<ErrorCode> codesFor(Parameter parameter) {
        if (isIdempotencyKey(parameter)) {
            return EnumSet.of(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, ErrorCode.VALIDATION_FAILED, ErrorCode.IDEMPOTENCY_KEY_REUSED);
        }
        return switch (parameter.getIn()) {
            case PATH -> EnumSet.of(ErrorCode.NOT_FOUND);
            case QUERY -> EnumSet.of(ErrorCode.VALIDATION_FAILED);
            default -> Set.of();
        };
    }

    private static boolean isIdempotencyKey(Parameter parameter) {
        return parameter.getIn() == Parameter.In.HEADER && IdempotencyHeaders.KEY.equalsIgnoreCase(parameter.getName());
    }

    private static void describeIdempotencyKey(Parameter parameter) {
        parameter.required(true)
                .description("Chosen by the client, unique per write and reused on its retries; scoped to the caller and "
                        + "the member written. A retry with the same key and body answers the stored status and body with "
                        + "Idempotent-Replayed: true; the same key with another body for the same member is "
                        + "IDEMPOTENCY_KEY_REUSED. Keys are kept 24 hours by default.")
                .schema(OASFactory.createSchema().addType(SchemaType.STRING)
                        .minLength(1)
                        .maxLength(ApiLimits.IDEMPOTENCY_KEY_LENGTH_MAX)
                        .pattern("^[!-~]+$")
                        .description("Printable ASCII without spaces")
                        .example("9f1c2d4e-checkout-0042"));
    }

    private static void markReplays(APIResponses responses) {
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("2")) {
                response.addHeader(IdempotencyHeaders.REPLAYED, OASFactory.createHeader()
                        .description("Present, as true, when this is the stored answer to an earlier request with the same key")
                        .schema(OASFactory.createSchema().addType(SchemaType.STRING).addEnumeration("true")));
            }
        });
    }

    /** Codes sharing one status, each shown by its example problem; the description lists them. */
    private static APIResponse problemResponse(List<ErrorCode> codes) {
        MediaType problem = OASFactory.createMediaType().schema(reference(PROBLEM));
        for (ErrorCode code : codes) {
            problem.addExample(code.name(), OASFactory.createExample().ref(code.name()));
        }
        APIResponse response = OASFactory.createAPIResponse()
                .description(codes.stream().map(code -> code.name() + ": " + code.title()).collect(Collectors.joining(". ")))
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, problem));
        if (codes.contains(ErrorCode.RATE_LIMITED)) {
            response.addHeader(RETRY_AFTER, OASFactory.createHeader().required(true)
                    .description("Seconds until the partner's rate limit lets a request through")
                    .schema(OASFactory.createSchema().addType(SchemaType.INTEGER).minimum(BigDecimal.ONE)));
        }
        if (codes.contains(ErrorCode.SERVICE_UNAVAILABLE)) {
            response.addHeader(RETRY_AFTER, OASFactory.createHeader().required(true)
                    .description("Seconds to wait before retrying with the same Idempotency-Key")
                    .schema(OASFactory.createSchema().addType(SchemaType.INTEGER).minimum(BigDecimal.ONE)));
        }
        if (codes.contains(ErrorCode.UNAUTHENTICATED)) {
            response.addHeader(WWW_AUTHENTICATE, OASFactory.createHeader()
                    .description("Bearer: the scheme to authenticate with")
                    .schema(OASFactory.createSchema().addType(SchemaType.STRING)));
        }
        return response;
    }

    private static Map<String, Object> exampleOf(ErrorCode code) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", code.type());
        example.put("title", code.title());
        example.put("status", code.status());
        example.put("code", code.name());
        return example;
    }

    private static Schema errorCodeSchema() {
        Schema schema = OASFactory.createSchema().addType(SchemaType.STRING)
                .description("The closed list of error codes. Each has one HTTP status and never changes meaning: "
                        + Stream.of(ErrorCode.values()).map(code -> code.name() + " (" + code.status() + ")")
                                .collect(Collectors.joining(", ")));
        for (ErrorCode code : ErrorCode.values()) {
            schema.addEnumeration(code.name());
        }
        return schema;
    }

    /**
     * OpenAPI 3.0 ignores {@code nullable} beside a {@code $ref}, and strict validators then refuse
     * the null: a nullable property that refers to another schema gets a copy of it instead.
     */
    private static void inlineNullableReferences(Map<String, Schema> schemas) {
        for (Schema schema : schemas.values()) {
            if (schema.getProperties() != null) {
                schema.getProperties().forEach((name, property) ->
                        schema.addProperty(name, inlineIfNullableReference(property, schemas)));
            }
        }
    }

    private static Schema inlineIfNullableReference(Schema property, Map<String, Schema> schemas) {
        List<Schema> anyOf = property.getAnyOf();
        if (anyOf == null || anyOf.size() != 2 || anyOf.get(0).getRef() == null || !isNull(anyOf.get(1))) {
            return property;
        }
        Schema referenced = schemas.get(anyOf.get(0).getRef().substring(SCHEMAS.length()));
        Schema inline = OASFactory.createSchema();
        referenced.getAll().forEach(inline::set);
        inline.setType(new ArrayList<>(referenced.getType()));
        inline.addType(SchemaType.NULL);
        if (referenced.getEnumeration() != null) {
            List<Object> values = new ArrayList<>(referenced.getEnumeration());
            values.add(null);
            inline.setEnumeration(values);
        }
        if (property.getDescription() != null) {
            inline.setDescription(property.getDescription());
        }
        return inline;
    }

    private static boolean isNull(Schema schema) {
        return schema.getType() != null && schema.getType().equals(List.of(SchemaType.NULL));
    }

    /**
     * Answers always carry every property (null when absent), so each answer schema lists all of
     * them as required. Schemas that are also request bodies, and those with their own list
     * (a problem leaves out what it does not use), keep what they declare.
     */
    private static void requireEveryAnswerProperty(Map<String, Schema> schemas, List<Operation> operations) {
        Set<String> answers = reachable(operations.stream()
                .flatMap(operation -> operation.getResponses().getAPIResponses().values().stream())
                .flatMap(response -> schemasOf(response.getContent())), schemas);
        Set<String> requests = reachable(operations.stream()
                .filter(operation -> operation.getRequestBody() != null)
                .flatMap(operation -> schemasOf(operation.getRequestBody().getContent())), schemas);
        answers.removeAll(requests);
        for (String name : answers) {
            Schema schema = schemas.get(name);
            if (schema.getProperties() != null && schema.getRequired() == null) {
                schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
            }
        }
    }

    private static Stream<Schema> schemasOf(Content content) {
        return content == null ? Stream.empty()
                : content.getMediaTypes().values().stream().map(MediaType::getSchema).filter(schema -> schema != null);
    }

    /** Names of the component schemas that {@code roots} use, directly or through others. */
    private static Set<String> reachable(Stream<Schema> roots, Map<String, Schema> schemas) {
        Set<String> names = new HashSet<>();
        roots.forEach(root -> visit(root, schemas, names));
        return names;
    }

    private static void visit(Schema schema, Map<String, Schema> schemas, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.getRef() != null) {
            String name = schema.getRef().substring(SCHEMAS.length());
            if (names.add(name)) {
                visit(schemas.get(name), schemas, names);
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> visit(property, schemas, names));
        }
        visit(schema.getItems(), schemas, names);
        visit(schema.getAdditionalPropertiesSchema(), schemas, names);
        Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())
                .filter(list -> list != null)
                .forEach(list -> list.forEach(member -> visit(member, schemas, names)));
    }

    private static Schema reference(String name) {
        return OASFactory.createSchema().ref(SCHEMAS + name);
    }
}
