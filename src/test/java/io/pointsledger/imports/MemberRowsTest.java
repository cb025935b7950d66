package io.pointsledger.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pointsledger.members.EnrollmentChannel;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

class MemberRowsTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
    private static final ImportColumns<MemberColumns.Field> COLUMNS = MemberColumns.of(List.of("externalId", "name", "phone"));

    private static MemberRows rows(List<String> phoneCountryCodes) {
        return new MemberRows(COLUMNS, VALIDATOR, EnrollmentChannel.BULK, phoneCountryCodes);
    }

    @Test
    void shouldGiveAWorkbookPhoneStoredAsANumberItsPlusBackOnlyForAConfiguredCountryCode() {
        MemberRows workbook = rows(List.of("82"));

        assertEquals("+821012340001", workbook.parse(2, List.of("x-1", "Kim", "821012340001")).member().member().phone());
        assertEquals("+821012340001", workbook.parse(3, List.of("x-2", "Kim", "8.21012340001E11")).member().member().phone());
        MemberRows.Parsed localNumber = workbook.parse(4, List.of("x-3", "Lee", "1012345678"));
        assertNull(localNumber.member(), "a local 010-1234-5678 stored as a number is not made a +1 number");
        assertEquals(List.of(new ImportRowError(4, "phone", "INVALID", "must be an E.164 number such as +821012345678")),
                localNumber.errors());
    }

    @Test
    void shouldNeverAddAPlusToACsvPhone() {
        MemberRows.Parsed parsed = rows(List.of()).parse(2, List.of("x-1", "Kim", "821012340001"));

        assertNull(parsed.member());
        assertEquals("phone", parsed.errors().get(0).field());
    }

    @Test
    void shouldRefuseTextInAColumnWithoutAName() {
        ImportColumns<MemberColumns.Field> unnamed = MemberColumns.of(java.util.Arrays.asList("externalId", "", "name"));
        MemberRows.Parsed parsed = new MemberRows(unnamed, VALIDATOR, EnrollmentChannel.BULK, List.of())
                .parse(2, List.of("x-1", "stray", "Kim"));

        assertEquals(List.of(new ImportRowError(2, "row", "TOO_MANY_COLUMNS", "has text in a column the header does not name")),
                parsed.errors());
        assertEquals("Kim", new MemberRows(unnamed, VALIDATOR, EnrollmentChannel.BULK, List.of())
                .parse(3, List.of("x-2", "", "Kim")).member().member().name());
    }
}
