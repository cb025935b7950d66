#!/usr/bin/env python3
"""Writes a members file for load-tests/import-benchmark.sh: CSV or an Excel workbook (.xlsx, with
shared strings, as spreadsheet programs write them), ROWS data rows after the header, one row in
every 100 / BAD_PERCENT refused by the import's rules (its email malformed), written streaming.
Prints the numbers of the bad rows (header = row 1) to the file named by --bad-rows."""
import argparse
import zipfile

HEADER = ["externalId", "name", "email", "phone", "birthDate", "region", "gender"]
REGIONS = ["Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Gwangju", "Ulsan", "Jeju"]


def rows(count, bad_every, prefix):
    for index in range(1, count + 1):
        bad = bad_every and index % bad_every == 0
        yield index + 1, bad, [
            f"{prefix}-{index:08d}", f"Member {index}",
            f"m{index}-at-example.com" if bad else f"m{index}@example.com",
            f"+8210{10000000 + index % 89999999:08d}",
            f"{1950 + index % 55:04d}-{1 + index % 12:02d}-{1 + index % 28:02d}",
            REGIONS[index % len(REGIONS)], "F" if index % 2 else "M"]


def write_csv(path, count, bad_every, prefix, bad_rows):
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\r\n")
        for number, bad, cells in rows(count, bad_every, prefix):
            if bad:
                bad_rows.append(number)
            out.write(",".join(cells) + "\r\n")


def cell_ref(column, row):
    return chr(ord("A") + column) + str(row)


def write_xlsx(path, count, bad_every, prefix, bad_rows):
    # Every text cell is a shared string, each one distinct but the regions and genders: the
    # workbook's shared strings then hold about five strings a row, as a real member list would.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>""")
        book.writestr("_rels/.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""")
        book.writestr("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Members" sheetId="1" r:id="rId1"/></sheets></workbook>""")
        book.writestr("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>""")
        shared = {}
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')

            def row_xml(number, cells):
                parts = [f'<row r="{number}">']
                for column, value in enumerate(cells):
                    index = shared.setdefault(value, len(shared))
                    parts.append(f'<c r="{cell_ref(column, number)}" t="s"><v>{index}</v></c>')
                parts.append("</row>")
                return "".join(parts).encode("utf-8")

            sheet.write(row_xml(1, HEADER))
            for number, bad, cells in rows(count, bad_every, prefix):
                if bad:
                    bad_rows.append(number)
                sheet.write(row_xml(number, cells))
            sheet.write(b"</sheetData></worksheet>")
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{len(shared)}">'.encode("utf-8"))
            for value in shared:
                strings.write(f"<si><t>{value}</t></si>".encode("utf-8"))
            strings.write(b"</sst>")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--bad-percent", type=float, default=1.0)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--bad-rows", required=True)
    parser.add_argument("path")
    arguments = parser.parse_args()
    bad_every = int(round(100 / arguments.bad_percent)) if arguments.bad_percent > 0 else 0
    bad_rows = []
    (write_csv if arguments.format == "csv" else write_xlsx)(arguments.path, arguments.rows, bad_every, arguments.prefix, bad_rows)
    with open(arguments.bad_rows, "w") as out:
        out.write("\n".join(str(number) for number in bad_rows) + ("\n" if bad_rows else ""))


if __name__ == "__main__":
    main()
