package io.pointsledger.imports;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.ProblemException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which column of a members file holds which field, from its header row, in English or Korean.
 * A header is compared without case, spaces, underscores or hyphens ({@code Birth Date},
 * {@code birth_date} and {@code birthDate} are one). Every column must be known, so that a
 * misspelt one is refused rather than dropped; externalId and name are required.
 */
final class MemberColumns {

    /** The fields of a member row, and every header each may have. */
    enum Field {
        EXTERNAL_ID("externalId", "externalid", "customerid", "customernumber", "memberid", "membernumber", "회원번호",
                "고객번호", "외부id"),
        NAME("name", "name", "fullname", "이름", "성명", "고객명"),
        EMAIL("email", "email", "emailaddress", "이메일", "이메일주소", "전자우편"),
        PHONE("phone", "phone", "mobile", "phonenumber", "mobilephone", "전화번호", "휴대폰", "휴대폰번호", "휴대전화",
                "연락처"),
        BIRTH_DATE("birthDate", "birthdate", "birthday", "dateofbirth", "생년월일", "생일"),
        REGION("region", "region", "지역"),
        LANGUAGE("language", "language", "언어"),
        GENDER("gender", "gender", "sex", "성별");

        final String fieldName;
        final List<String> headers;

        Field(String fieldName, String... headers) {
            this.fieldName = fieldName;
            this.headers = List.of(headers);
        }
    }

    private final Map<Field, Integer> columns;

    private MemberColumns(Map<Field, Integer> columns) {
        this.columns = columns;
    }

    /** The columns a header row names. Fails with IMPORT_HEADER_INVALID, naming every fault. */
    static MemberColumns of(List<String> header) {
        Map<Field, Integer> columns = new EnumMap<>(Field.class);
        List<String> faults = new ArrayList<>();
        for (int index = 0; index < header.size(); index++) {
            String name = header.get(index);
            if (name != null && name.isBlank()) {
                continue; // a column without a name (a spreadsheet's styled empty cell): data under it is refused
            }
            Field field = name == null ? null : fieldOf(name);
            if (field == null) {
                faults.add("column " + (index + 1) + " (\"" + (name == null ? "not UTF-8" : name) + "\") is not a member field");
            } else if (columns.putIfAbsent(field, index) != null) {
                faults.add("column " + (index + 1) + " repeats " + field.fieldName);
            }
        }
        for (Field required : List.of(Field.EXTERNAL_ID, Field.NAME)) {
            if (!columns.containsKey(required)) {
                faults.add("no " + required.fieldName + " column");
            }
        }
        if (!faults.isEmpty()) {
            throw new ProblemException(ErrorCode.IMPORT_HEADER_INVALID, "The file's first row must name its columns ("
                    + "README, Imports): " + String.join("; ", faults));
        }
        return new MemberColumns(columns);
    }

    private static Field fieldOf(String header) {
        String normalised = header.strip().toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "").replace("-", "");
        for (Field field : Field.values()) {
            if (field.headers.contains(normalised)) {
                return field;
            }
        }
        return null;
    }

    /** The cell of {@code field} in a row: null when the file has no such column or the row stops short of it. */
    String cell(List<String> row, Field field) {
        Integer column = columns.get(field);
        return column == null || column >= row.size() ? null : row.get(column);
    }

    /** The column of {@code field}, or null when the file has none. */
    Integer indexOf(Field field) {
        return columns.get(field);
    }

    /** Whether the row has text in a column the header does not name (a stray comma, a shifted row). */
    boolean overflows(List<String> row) {
        for (int index = 0; index < row.size(); index++) {
            if (!columns.containsValue(index) && row.get(index) != null && !row.get(index).isBlank()) {
                return true;
            }
        }
        return false;
    }
}
