package io.pointsledger.members;

import java.util.List;
import java.util.UUID;

/**
 * Rows of an import, validated and encrypted, ready to enroll in one statement. Made off the event
 * loop (encryption is the costly part of an import); what each row became comes back as
 * {@link Outcome}s, in the rows' order.
 */
public final class ImportedMembers {

    /** One valid row of the file: its number (the header is row 1) and the member it describes. */
    public record Row(long rowNumber, EnrollMemberRequest member) {
    }

    /** What became of a row. */
    public enum Outcome {
        /** A new member. */
        ENROLLED,
        /** Its external id was enrolled before this import (an earlier run of the same file, say): left as it is. */
        EXISTING,
        /** An earlier row of the same import has its external id: refused. */
        DUPLICATE_IN_FILE,
        /** A member with its external id was erased at their request: refused, not brought back by a file. */
        ERASED
    }

    /** What became of the row numbered {@code rowNumber}; {@code firstRow}: the row a duplicate repeats, when known. */
    public record Result(long rowNumber, Outcome outcome, Long firstRow) {
    }

    final List<Row> rows;
    final UUID[] memberIds;
    final String[] nameEncrypted;
    final String[] emailEncrypted;
    final String[] phoneEncrypted;
    final String[] birthDateEncrypted;
    final String[] genderEncrypted;
    final byte[][] emailIndex;
    final byte[][] phoneIndex;
    final byte[][] externalIdIndex;

    ImportedMembers(List<Row> rows) {
        this.rows = List.copyOf(rows);
        int size = rows.size();
        this.memberIds = new UUID[size];
        this.nameEncrypted = new String[size];
        this.emailEncrypted = new String[size];
        this.phoneEncrypted = new String[size];
        this.birthDateEncrypted = new String[size];
        this.genderEncrypted = new String[size];
        this.emailIndex = new byte[size][];
        this.phoneIndex = new byte[size][];
        this.externalIdIndex = new byte[size][];
    }

    public int size() {
        return rows.size();
    }
}
