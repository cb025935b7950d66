package io.pointsledger.imports;

import java.util.List;

/** The columns of an opening balances file: externalId and points are required. */
final class BalanceColumns {

    /** The fields of a balance row, and every header each may have. */
    enum Field implements ImportColumns.Field {
        EXTERNAL_ID("externalId", MemberColumns.EXTERNAL_ID_HEADERS),
        POINTS("points", "points", "balance", "pointbalance", "pointsbalance", "포인트", "잔여포인트", "포인트잔액", "잔액"),
        EXPIRES_AT("expiresAt", "expiresat", "expiry", "expirydate", "expires", "만료일", "소멸일", "유효기간"),
        REFERENCE("reference", "reference", "accountid", "accountnumber", "참조번호", "계정번호");

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

    private BalanceColumns() {
    }

    /** Fails with IMPORT_HEADER_INVALID, naming every fault. */
    static ImportColumns<Field> of(List<String> header) {
        return ImportColumns.of(header, Field.class, List.of(Field.EXTERNAL_ID, Field.POINTS), "an opening balance");
    }
}
