package io.pointsledger.imports;

import io.pointsledger.members.EnrollMemberRequest;
import io.pointsledger.members.EnrollmentChannel;
import io.pointsledger.members.Gender;
import io.pointsledger.members.ImportedMembers;
import io.pointsledger.platform.PrintableText;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A members file's rows as members to enroll, under the rules of POST /v1/members (the same
 * request, validated by the same constraints), or as the reasons a row is refused. Cells are
 * trimmed; an empty cell is a field not given. An import also requires the external id: it is
 * what makes running the same file twice change nothing.
 */
final class MemberRows {

    static final String REQUIRED = ImportRowError.REQUIRED;
    static final String INVALID = ImportRowError.INVALID;
    static final String TOO_LONG = ImportRowError.TOO_LONG;
    static final String NOT_IN_THE_PAST = "NOT_IN_THE_PAST";
    static final String DUPLICATE_IN_FILE = ImportRowError.DUPLICATE_IN_FILE;
    static final String ERASED = "ERASED";
    static final String TOO_MANY_COLUMNS = ImportRowError.TOO_MANY_COLUMNS;

    private static final Map<String, Gender> GENDERS = Map.ofEntries(
            Map.entry("female", Gender.FEMALE), Map.entry("f", Gender.FEMALE), Map.entry("여", Gender.FEMALE),
            Map.entry("여성", Gender.FEMALE), Map.entry("여자", Gender.FEMALE),
            Map.entry("male", Gender.MALE), Map.entry("m", Gender.MALE), Map.entry("남", Gender.MALE),
            Map.entry("남성", Gender.MALE), Map.entry("남자", Gender.MALE),
            Map.entry("other", Gender.OTHER), Map.entry("기타", Gender.OTHER));

    /** A phone a spreadsheet program stored as a number: digits only, its '+' gone; or in scientific notation. */
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("^[0-9]+(\\.[0-9]+)?(E[0-9]+)?$");

    private final ImportColumns<MemberColumns.Field> columns;
    private final Validator validator;
    private final EnrollmentChannel channel;
    private final List<String> phoneCountryCodes;

    /**
     * @param phoneCountryCodes for a workbook: the country calling codes a phone written as a number
     *                          may begin with, to be read back with its '+' (empty: never; a CSV file)
     */
    MemberRows(ImportColumns<MemberColumns.Field> columns, Validator validator, EnrollmentChannel channel, List<String> phoneCountryCodes) {
        this.columns = columns;
        this.validator = validator;
        this.channel = channel;
        this.phoneCountryCodes = List.copyOf(phoneCountryCodes);
    }

    /** A row read: the member it describes, or why it is refused (never both). */
    record Parsed(ImportedMembers.Row member, List<ImportRowError> errors) {
    }

    Parsed parse(long rowNumber, List<String> cells) {
        List<ImportRowError> errors = new ArrayList<>();
        if (columns.overflows(cells)) {
            errors.add(new ImportRowError(rowNumber, "row", TOO_MANY_COLUMNS, "has text in a column the header does not name"));
        }
        String externalId = text(rowNumber, cells, MemberColumns.Field.EXTERNAL_ID, errors);
        String name = text(rowNumber, cells, MemberColumns.Field.NAME, errors);
        String email = text(rowNumber, cells, MemberColumns.Field.EMAIL, errors);
        String phone = phone(text(rowNumber, cells, MemberColumns.Field.PHONE, errors));
        String birthDate = text(rowNumber, cells, MemberColumns.Field.BIRTH_DATE, errors);
        String region = text(rowNumber, cells, MemberColumns.Field.REGION, errors);
        String language = text(rowNumber, cells, MemberColumns.Field.LANGUAGE, errors);
        String gender = text(rowNumber, cells, MemberColumns.Field.GENDER, errors);
        EnrollMemberRequest member = new EnrollMemberRequest(externalId, name, email, phone,
                date(rowNumber, birthDate, errors), region, language, gender(rowNumber, gender, errors), channel);
        if (externalId == null && errors.stream().noneMatch(error -> error.field().equals("externalId"))) {
            errors.add(new ImportRowError(rowNumber, "externalId", REQUIRED, "an import needs each member's external id"));
        }
        for (ConstraintViolation<EnrollMemberRequest> violation : validator.validate(member)) {
            String field = violation.getPropertyPath().toString();
            if (errors.stream().noneMatch(error -> error.field().equals(field))) {
                errors.add(new ImportRowError(rowNumber, field, code(violation), violation.getMessage()));
            }
        }
        errors.sort(Comparator.comparing(ImportRowError::field));
        return errors.isEmpty() ? new Parsed(new ImportedMembers.Row(rowNumber, member), List.of()) : new Parsed(null, errors);
    }

    private String text(long rowNumber, List<String> cells, MemberColumns.Field field, List<ImportRowError> errors) {
        return columns.text(rowNumber, cells, field, errors);
    }

    /**
     * A workbook's phone of digits alone, read back with its '+' when it begins with one of the
     * configured country codes; anything else stays as written, and is refused rather than made
     * another country's number (a local 01012345678 stored as a number is 1012345678).
     */
    private String phone(String value) {
        if (phoneCountryCodes.isEmpty() || value == null || !NUMBER.matcher(value).matches()) {
            return value;
        }
        String digits;
        try {
            digits = new java.math.BigDecimal(value).toBigIntegerExact().toString();
        } catch (ArithmeticException e) {
            return value;
        }
        return phoneCountryCodes.stream().anyMatch(digits::startsWith) ? "+" + digits : value;
    }

    /** ISO (1990-04-01), or an Excel date's serial number. */
    private static LocalDate date(long rowNumber, String value, List<ImportRowError> errors) {
        if (value == null) {
            return null;
        }
        try {
            return SheetDates.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            errors.add(new ImportRowError(rowNumber, "birthDate", INVALID, "must be a date such as 1990-04-01"));
            return null;
        }
    }

    private static Gender gender(long rowNumber, String value, List<ImportRowError> errors) {
        if (value == null) {
            return null;
        }
        Gender gender = GENDERS.get(value.toLowerCase(Locale.ROOT));
        if (gender == null) {
            errors.add(new ImportRowError(rowNumber, "gender", INVALID, "must be one of FEMALE, MALE, OTHER (or F, M, 여, 남)"));
        }
        return gender;
    }

    private static String code(ConstraintViolation<?> violation) {
        Class<? extends Annotation> constraint = violation.getConstraintDescriptor().getAnnotation().annotationType();
        if (constraint == NotBlank.class || constraint == NotNull.class) {
            return REQUIRED;
        }
        if (constraint == Size.class) {
            return TOO_LONG;
        }
        if (constraint == Past.class) {
            return NOT_IN_THE_PAST;
        }
        return INVALID; // Email, Pattern: the value's form
    }
}
