package io.pointsledger.imports;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a purchase history file, one row per purchase line: externalId, orderId and
 * occurredAt are required. The headers of common exports are known too (an online shop's
 * {@code customer,invoice,date,sku,quantity,unit_price_minor}, a till's receipt number).
 */
final class PurchaseColumns {

    /** The fields of a purchase line, and every header each may have. */
    enum Field implements ImportColumns.Field {
        EXTERNAL_ID("externalId", externalIdHeaders()),
        ORDER_ID("orderId", "orderid", "order", "ordernumber", "invoice", "invoiceno", "invoicenumber", "receipt",
                "receiptnumber", "transactionid", "주문번호", "영수증번호", "거래번호"),
        OCCURRED_AT("occurredAt", "occurredat", "date", "datetime", "purchasedate", "purchasedat", "orderdate", "invoicedate",
                "구매일", "구매일시", "주문일", "주문일시", "거래일시"),
        SKU("sku", "sku", "stockcode", "productcode", "itemcode", "상품코드", "품번"),
        CATEGORY("category", "category", "productcategory", "카테고리", "분류", "상품분류"),
        QUANTITY("quantity", "quantity", "qty", "수량"),
        UNIT_PRICE("unitPrice", "unitprice", "unitpriceminor", "price", "단가"),
        AMOUNT("amount", "amount", "lineamount", "amountminor", "금액", "결제금액"),
        CHANNEL("channel", "channel", "saleschannel", "채널", "판매채널");

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

        private static List<String> externalIdHeaders() {
            List<String> headers = new ArrayList<>(MemberColumns.EXTERNAL_ID_HEADERS);
            headers.addAll(List.of("customer", "member", "고객", "회원"));
            return List.copyOf(headers);
        }
    }

    private PurchaseColumns() {
    }

    /** Fails with IMPORT_HEADER_INVALID, naming every fault. */
    static ImportColumns<Field> of(List<String> header) {
        return ImportColumns.of(header, Field.class, List.of(Field.EXTERNAL_ID, Field.ORDER_ID, Field.OCCURRED_AT),
                "a purchase line");
    }
}
