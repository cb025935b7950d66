package io.pointsledger.imports;

import java.util.List;

/** The columns of a members file: externalId and name are required. */
final class MemberColumns {

    /** The headers of a member's external id, in every kind of file that names members by it. */
    static final List<String> EXTERNAL_ID_HEADERS = List.of("externalid", "customerid", "customernumber", "memberid",
            "membernumber", "회원번호", "고객번호", "외부id");

    /** The fields of a member row, and every header each may have. */
    enum Field implements ImportColumns.Field {
        EXTERNAL_ID("externalId", EXTERNAL_ID_HEADERS),
        NAME("name", "name", "fullname", "이름", "성명", "고객명"),
        EMAIL("email", "email", "emailaddress", "이메일", "이메일주소", "전자우편"),
        PHONE("phone", "phone", "mobile", "phonenumber", "mobilephone", "전화번호", "휴대폰", "휴대폰번호", "휴대전화",
                "연락처"),
        BIRTH_DATE("birthDate", "birthdate", "birthday", "dateofbirth", "생년월일", "생일"),
        REGION("region", "region", "지역"),
        LANGUAGE("language", "language", "언어"),
        GENDER("gender", "gender", "sex", "성별");

        private final String fieldName;
        private final List<String> headers;

        Field(String fieldName, String... headers) {
            this(fieldName, List.of(headers));
        }

        Field(String fieldName, List<String> headers) {
            this.fieldName = fieldName;
            this.headers = headers;
        }

        @Override
        public String fieldName() {
            return fieldName;
        }

        @Override
        public List<String> headers() {
            return headers;
        }
    }

    private MemberColumns() {
    }

    /** Fails with IMPORT_HEADER_INVALID, naming every fault. */
    static ImportColumns<Field> of(List<String> header) {
        return ImportColumns.of(header, Field.class, List.of(Field.EXTERNAL_ID, Field.NAME), "a member");
    }
}
