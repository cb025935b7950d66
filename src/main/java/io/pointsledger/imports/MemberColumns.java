package io.pointsledger.imports;

import java.util.List;

/** The columns of a members file: externalId and name are required. */
final class MemberColumns {

    /** The fields of a member row, and every header each may have. */
    enum Field implements ImportColumns.Field {
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

        private final String fieldName;
        private final List<String> headers;

        Field(String fieldName, String... headers) {
            this.fieldName = fieldName;
            this.headers = List.of(headers);
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
