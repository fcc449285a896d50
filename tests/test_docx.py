"""Word documents (.docx) in the corpus: real files, zipped here as Word lays them out, read by index/docx.py."""

from __future__ import annotations

import io
import json
import logging
import re
import tracemalloc
import zipfile

import pytest

from index import docx, frontmatter
from index.add import AddError, ArticleAdder
from index.documents import read_corpus
from tests.living import citebot, fresh_copy, read_with_warnings

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def run(text: str) -> str:
    return f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr>{"".join(runs)}</w:p>'


def docx_bytes(body: str, parts: dict[str, str | bytes] | None = None) -> bytes:
    """A .docx whose document part's body is ``body`` (WordprocessingML), with ``parts`` besides."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" '
                'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                f'<w:body>{body}<w:sectPr/></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"/>')
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


# A reporter's draft as Word saves it: a heading, text split into runs, an editor's tracked changes, a table, a text
# box (which Word writes twice: for new readers and as a fallback), a header and a footnote in parts of their own.
DRAFT = docx_bytes(
    para(run("Riga port opens a floating solar farm"))
    + para(run("The port of Riga switched on a floating solar farm on "),
           f'<w:del w:id="1" w:author="Editor"><w:r><w:delText>Sunday</w:delText></w:r></w:del>',
           f'<w:ins w:id="2" w:author="Editor">{run("Monday")}</w:ins>',
           run(", covering eleven hectares of the old timber harbour."))
    + para(run("It cost 38 million euros"), '<w:r><w:tab/><w:t>(a</w:t><w:noBreakHyphen/><w:t>Latvian</w:t></w:r>',
           run("-Finnish consortium built it)."), '<w:r><w:br/></w:r>', run("Its panels face south."))
    + f'<w:tbl><w:tr><w:tc>{para(run("Panels"))}</w:tc><w:tc>{para(run("12,000"))}</w:tc></w:tr></w:tbl>'
    + para(run("Read more below."), '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
           f'{para(run("Box: the harbour in numbers."))}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback>'
           f'<w:pict><w:txbxContent>{para(run("Box: the harbour in numbers."))}</w:txbxContent></w:pict>'
           '</mc:Fallback></mc:AlternateContent></w:r>'),
    parts={"word/header1.xml": f'<w:hdr xmlns:w="{W}">{para(run("DRAFT - NOT FOR PUBLICATION"))}</w:hdr>',
           "word/footnotes.xml": f'<w:footnotes xmlns:w="{W}">{para(run("Source: port authority."))}</w:footnotes>',
           "word/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(1000)})
DRAFT_TEXT = ("Riga port opens a floating solar farm\n"
              "The port of Riga switched on a floating solar farm on Monday, covering eleven hectares of the old timber "
              "harbour.\n"
              "It cost 38 million euros\t(a-Latvian-Finnish consortium built it).\nIts panels face south.\n"
              "| Panels | 12,000 |\n"
              "Read more below.\nBox: the harbour in numbers.")


def test_a_word_draft_is_read_as_its_paragraphs_with_tracked_changes_accepted_tables_and_text_boxes_once(tmp_path):
    (tmp_path / "draft.docx").write_bytes(DRAFT)
    (tmp_path / "~$draft.docx").write_bytes(b"\x0bReporter" + bytes(150))  # Word's lock file, while the draft is open
    corpus = read_corpus(tmp_path)
    [article] = corpus.articles
    assert (article.id, article.title, article.date) == ("draft.docx", "Riga port opens a floating solar farm", None)
    assert article.text == DRAFT_TEXT
    assert corpus.skipped == []


def styled(style: str, *runs: str, numbering: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{numbering}</w:pPr>{"".join(runs)}</w:p>'


def bullet(text: str) -> str:
    """A paragraph Word's bullet button made: its numbering in its own properties."""
    return styled("ListParagraph", run(text), numbering='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')


def table(*rows: tuple[str, ...]) -> str:
    """A table, each cell's paragraphs given as one string (a tuple for several)."""
    def cell(paragraphs) -> str:
        paragraphs = [paragraphs] if isinstance(paragraphs, str) else paragraphs
        return f'<w:tc><w:tcPr><w:tcW w:w="4000"/></w:tcPr>{"".join(para(run(p)) for p in paragraphs)}</w:tc>'

    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr>'
            f'{"".join("<w:tr>" + "".join(cell(c) for c in row) + "</w:tr>" for row in rows)}</w:tbl>')


# Word's styles: a numbered list style (and one based on it), and a heading numbered by its style ("1 Contacts")
STYLES = (f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>'
          '<w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/><w:pPr><w:numPr>'
          '<w:numId w:val="3"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="ListNumber"><w:basedOn w:val="Normal"/><w:pPr><w:numPr>'
          '<w:numId w:val="2"/></w:numPr></w:pPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="ListNumber2"><w:basedOn w:val="ListNumber"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:basedOn w:val="Normal"/></w:style></w:styles>')
DOCUMENT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
                 'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                 'openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
# A depot's safety sheet: rules as bullets, steps as a numbered list, contacts in a table
SAFETY = docx_bytes(
    styled("Heading1", run("Site safety at the Tartu depot"))
    + para(run("Everyone who enters the depot yard follows these rules."))
    + bullet("Closed-toe shoes are required on site")
    + bullet("Hard hats stay on in the loading bay")
    + bullet("")
    + styled("ListParagraph", run("Visitors wait at the gate."), numbering='<w:numPr><w:numId w:val="0"/></w:numPr>')
    + styled("ListNumber", run("Sign in at the gate office"))
    + styled("ListNumber2", run("Collect a visitor badge"))
    + styled("Heading1", run("Contacts"))
    + table(("Name", "Phone"), ("Omar Haddad", "+372 5123 4567"), (("Lena Tamm", "(night shift)"), "+372 5234 5678"),
            ("", ""))
    + table((("Note", "Forklifts have right of way in the yard."),))  # a box around a note: a table laying it out
    + para(run("Call the site manager first.")),
    parts={"word/styles.xml": STYLES, "word/_rels/document.xml.rels": DOCUMENT_RELS})
SAFETY_TEXT = ("Site safety at the Tartu depot\n"
               "Everyone who enters the depot yard follows these rules.\n"
               "- Closed-toe shoes are required on site\n"
               "- Hard hats stay on in the loading bay\n"
               "\n"
               "Visitors wait at the gate.\n"
               "- Sign in at the gate office\n"
               "- Collect a visitor badge\n"
               "Contacts\n"
               "| Name | Phone |\n"
               "| Omar Haddad | +372 5123 4567 |\n"
               "| Lena Tamm (night shift) | +372 5234 5678 |\n"
               "Note\n"
               "Forklifts have right of way in the yard.\n"
               "Call the site manager first.")


def test_a_word_documents_list_items_read_as_markdown_list_items_and_each_table_row_as_one_line_between_bars(
        tmp_path):
    (tmp_path / "safety.docx").write_bytes(SAFETY)
    [article] = read_corpus(tmp_path).articles
    # It was each item without its bullet (a heading, to the answer path) and each cell a line of its own
    assert article.text == SAFETY_TEXT
    assert article.title == "Site safety at the Tartu depot"


def test_a_word_document_opening_with_a_list_or_a_table_is_titled_by_its_words_not_a_bullet_or_bars(tmp_path):
    (tmp_path / "rules.docx").write_bytes(docx_bytes(bullet("Closed-toe shoes are required on site")
                                                     + bullet("Hard hats stay on in the loading bay")))
    (tmp_path / "contacts.docx").write_bytes(docx_bytes(table(("Name", "Phone"), ("Omar Haddad", "+372 5123 4567"))
                                                        + para(run("Call the site manager first."))))
    (tmp_path / "phones.docx").write_bytes(docx_bytes(table(("Name", "Phone"), ("Omar Haddad", "+372 5123 4567"))))
    # They were "- Closed-toe shoes are required on site", "| Name | Phone |" twice
    assert [(a.id, a.title) for a in read_corpus(tmp_path).articles] == [
        ("contacts.docx", "Call the site manager first."),
        ("phones.docx", "Name \u00b7 Phone"),
        ("rules.docx", "Closed-toe shoes are required on site")]


def test_a_heading_numbered_by_words_numbering_button_is_a_heading_and_an_item_at_body_text_level_a_list_item(
        tmp_path):
    numbering = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr>'
    body_level = '<w:outlineLvl w:val="9"/>'  # Word's "Body Text" level: no heading's
    styles = STYLES.replace("</w:styles>", '<w:style w:type="paragraph" w:styleId="Steps"><w:pPr><w:numPr>'
                            f'<w:numId w:val="2"/></w:numPr>{body_level}</w:pPr></w:style></w:styles>')
    (tmp_path / "steps.docx").write_bytes(docx_bytes(
        styled("Heading1", run("Visitors"), numbering=numbering)
        + styled("ListParagraph", run("Sign in at the gate office"), numbering=numbering + body_level)
        + styled("Steps", run("Collect a visitor badge")),
        parts={"word/styles.xml": styles, "word/_rels/document.xml.rels": DOCUMENT_RELS}))
    [article] = read_corpus(tmp_path).articles
    # It was "- Visitors", "Sign in at the gate office", "Collect a visitor badge"
    assert article.text == "Visitors\n- Sign in at the gate office\n- Collect a visitor badge"


def merged(text: str, merge: str | None = None, span: int = 1) -> str:
    """A table cell of ``text`` (none: an empty paragraph), the first of a vertical merge ("restart") or one merged into
    the cell above ("continue"), ``span`` grid columns wide."""
    properties = ('<w:gridSpan w:val="%d"/>' % span if span > 1 else "") + (
        "" if merge is None else '<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>")
    return f'<w:tc><w:tcPr><w:tcW w:w="4000"/>{properties}</w:tcPr>{para(run(text)) if text else "<w:p/>"}</w:tc>'


def test_a_table_row_under_a_vertically_merged_cell_reads_with_the_merged_cells_text_not_as_a_bare_line(tmp_path):
    # Word writes a merged cell's text once, in its first row: the rows under it read "| | Night | ..." and, beside one
    # other cell, "+372 5999 0000" alone, a phone number of no one's
    rows = [[merged("Team", span=2), merged("Phone")],
            [merged("Harbour", "restart"), merged("Omar Haddad", "restart"), merged("+372 5123 4567")],
            [merged("", "continue"), merged("", "continue"), merged("+372 5999 0000")],
            [merged("", "continue"), merged("", "continue"), merged("")],  # the merge's rest: no line
            [merged("Depot"), merged("Lena Tamm"), merged("+372 5234 5678")]]
    pairs = [[merged("Omar Haddad", "restart"), merged("+372 5123 4567")],
             [merged("", "continue"), merged("+372 5999 0000")]]
    (tmp_path / "contacts.docx").write_bytes(docx_bytes(
        "".join("<w:tbl>" + "".join("<w:tr>" + "".join(row) + "</w:tr>" for row in table) + "</w:tbl>"
                for table in (rows, pairs))))
    [article] = read_corpus(tmp_path).articles
    assert article.text == ("| Team | Phone |\n"
                            "| Harbour | Omar Haddad | +372 5123 4567 |\n"
                            "| Harbour | Omar Haddad | +372 5999 0000 |\n"
                            "| Depot | Lena Tamm | +372 5234 5678 |\n"
                            "| Omar Haddad | +372 5123 4567 |\n"
                            "| Omar Haddad | +372 5999 0000 |")


def test_a_sidebar_merged_down_a_table_laying_out_the_page_is_read_once_not_again_in_each_row(tmp_path):
    # A newsletter laid out in a table, its sidebar one cell merged down the rows: the sidebar's sentence read again
    # before each row's paragraphs, twice in the article, the second time inside its text
    def cell(paragraphs: list[str], merge: str | None = None) -> str:
        return merged("", merge).replace("<w:p/>", "".join(para(run(p)) for p in paragraphs) or "<w:p/>")

    first = cell(["In this issue: the harbour and its ferries."], "restart") + cell(
        ["Harbour news", "The new terminal opens in May.", "It seats 600 passengers.", "Tickets go on sale in April."])
    second = cell([], "continue") + cell(
        ["Ferry news", "The night ferry runs again.", "It leaves at midnight.", "It returns at six."])
    (tmp_path / "newsletter.docx").write_bytes(docx_bytes(f"<w:tbl><w:tr>{first}</w:tr><w:tr>{second}</w:tr></w:tbl>"))
    [article] = read_corpus(tmp_path).articles
    assert article.text == ("In this issue: the harbour and its ferries.\n"
                            "Harbour news\nThe new terminal opens in May.\nIt seats 600 passengers.\n"
                            "Tickets go on sale in April.\n"
                            "Ferry news\nThe night ferry runs again.\nIt leaves at midnight.\nIt returns at six.")


def test_a_merged_cell_in_a_row_that_starts_past_the_tables_first_column_reads_under_its_own_column(tmp_path):
    # Word writes a row that opens past the grid's first column with w:gridBefore: its cells were counted from the
    # first column, so the row under it read "| Harbour | Night shift | | +372 5999 0000 |", the shift in Omar's place
    # (an editor's tracked change of the row, its columns before it, is not the row as it reads)
    first = ('<w:tr><w:trPr><w:gridBefore w:val="1"/><w:trPrChange w:id="1" w:author="Editor"><w:trPr>'
             '<w:gridBefore w:val="2"/></w:trPr></w:trPrChange></w:trPr>' + merged("Omar Haddad", "restart")
             + merged("Night shift", "restart") + merged("+372 5123 4567") + "</w:tr>")
    under = ("<w:tr>" + merged("Harbour") + merged("", "continue") + merged("", "continue")
             + merged("+372 5999 0000") + "</w:tr>")
    (tmp_path / "shifts.docx").write_bytes(docx_bytes(f"<w:tbl>{first}{under}</w:tbl>"))
    [article] = read_corpus(tmp_path).articles
    assert article.text == ("| Omar Haddad | Night shift | +372 5123 4567 |\n"
                            "| Harbour | Omar Haddad | Night shift | +372 5999 0000 |")


def test_a_text_boxs_list_and_table_read_on_lines_of_their_own_not_glued_to_the_paragraph_they_are_anchored_in(tmp_path):
    # It read "The harbour in 2026 (see the box).Ships: 412Ferries: 9| Berths | 14 |..." as one line: the box's
    # first item and the paragraph one sentence, its bullets gone, its table's rows run into it
    box = bullet("Ships: 412") + bullet("Ferries: 9") + table(("Berths", "14"), ("Cranes", "6"))
    (tmp_path / "harbour.docx").write_bytes(docx_bytes(
        para(run("Harbour report"))
        + para(run("The harbour in 2026 (see the box). "), '<w:r><mc:AlternateContent><mc:Choice Requires="wps">'
               f'<w:drawing><w:txbxContent>{box}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>'
               f'<w:txbxContent>{box}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>',
               run("Traffic grew by a tenth."))
        + para(run("The port expects more.")),
        parts={"word/styles.xml": STYLES, "word/_rels/document.xml.rels": DOCUMENT_RELS}))
    [article] = read_corpus(tmp_path).articles
    assert article.text == ("Harbour report\n"
                            "The harbour in 2026 (see the box). Traffic grew by a tenth.\n"
                            "- Ships: 412\n"
                            "- Ferries: 9\n"
                            "| Berths | 14 |\n"
                            "| Cranes | 6 |\n"
                            "The port expects more.")


def test_a_text_box_anchored_inside_a_sentence_or_before_it_reads_after_the_paragraph_and_leaves_the_sentence_whole(
        tmp_path):
    # Word writes a box's anchor where the cursor was: it read "The harbour, " / "Ships: 412" / "as the mayor said,
    # grew by a tenth.", the sentence cut in two around the box, and a box anchored first read before its paragraph
    def box(*lines: str) -> str:
        return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>{"".join(lines)}'
                '</w:txbxContent></w:drawing></mc:Choice><mc:Fallback/></mc:AlternateContent></w:r>')

    (tmp_path / "harbour.docx").write_bytes(docx_bytes(
        para(run("Harbour report"))
        + para(run("The harbour, "), box(bullet("Ships: 412"), bullet("Ferries: 9")),
               run("as the mayor said, grew by a tenth."))
        + para(box(para(run("Photo: the new terminal."))), run("The terminal opens in May."))
        + bullet("Cranes: 6"),
        parts={"word/styles.xml": STYLES, "word/_rels/document.xml.rels": DOCUMENT_RELS}))
    [article] = read_corpus(tmp_path).articles
    assert article.text == ("Harbour report\n"
                            "The harbour, as the mayor said, grew by a tenth.\n"
                            "- Ships: 412\n"
                            "- Ferries: 9\n"
                            "The terminal opens in May.\n"
                            "Photo: the new terminal.\n"
                            "- Cranes: 6")


def test_a_list_in_a_table_laying_out_the_page_reads_as_list_items_as_it_does_in_the_body(tmp_path):
    cell = (para(run("Site rules")) + bullet("Closed-toe shoes are required on site")
            + bullet("Hard hats stay on in the loading bay") + para(run("Thank you.")))
    newsletter = f"<w:tbl><w:tr><w:tc>{cell}</w:tc></w:tr><w:tr><w:tc>{bullet('Visitors wait at the gate')}</w:tc>" \
                 f"<w:tc>{para(run('Call the site manager first.'), '<w:r><w:br/></w:r>', run('Then the gate.'))}" \
                 f"{bullet('Sign in')}{para()}{bullet('Wear a badge')}</w:tc></w:tr></w:tbl>"
    (tmp_path / "newsletter.docx").write_bytes(docx_bytes(newsletter))
    [article] = read_corpus(tmp_path).articles
    # The items were a line each without their bullet: a short item a heading to the answer path, as before 368c1c5
    assert article.text == ("Site rules\n- Closed-toe shoes are required on site\n- Hard hats stay on in the loading "
                            "bay\nThank you.\n- Visitors wait at the gate\nCall the site manager first.\nThen the gate."
                            "\n- Sign in\n- Wear a badge")


def test_citebot_ask_answers_from_a_word_documents_bullet_and_table_row_quoting_them_as_read(template, tmp_path):
    corpus, index = fresh_copy(template, tmp_path / "w")
    (corpus / "safety.docx").write_bytes(SAFETY)
    answers = {}
    for question in ("What shoes are required on site?", "What is Omar Haddad's phone number?"):
        asked = citebot("ask", "--json", "--corpus", corpus, "--index", index, question)
        assert asked.returncode == 0, asked.stderr
        answer = json.loads(asked.stdout)
        # the quoted passage is the stored text at the offsets it is cited by
        answers[question] = answer["answer"], [(s["doc"], SAFETY_TEXT[s["start"]:s["end"]] == s["passage"])
                                               for s in answer["sources"][:1]]
    # It was "Not found": the bullet taken for a heading, the name and the number in sentences of their own
    assert answers == {
        "What shoes are required on site?": ("- Closed-toe shoes are required on site", [("safety.docx", True)]),
        "What is Omar Haddad's phone number?": ("| Omar Haddad | +372 5123 4567 |", [("safety.docx", True)])}


def _lying_sizes() -> bytes:
    """A .docx whose document part says it inflates to 300 bytes, and inflates to 3 MB: a zip bomb that lies."""
    data = bytearray(docx_bytes(para(run("x" * 3_000_000))))
    real = (3_000_000 + 400).to_bytes(4, "little")
    at = data.index(b"word/document.xml")  # the local header's name; its uncompressed size is 4 bytes before its length
    local = data.rfind(b"PK\x03\x04", 0, at)
    size = int.from_bytes(data[local + 22:local + 26], "little")
    assert int.from_bytes(real, "little") - 400 < size < int.from_bytes(real, "little") + 400
    for header in (local, data.rfind(b"PK\x01\x02", 0, data.rindex(b"word/document.xml"))):
        field = header + (22 if header == local else 24)
        data[field:field + 4] = (300).to_bytes(4, "little")
    return bytes(data)


@pytest.mark.parametrize("name, make, reason", [
    ("locked.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
     "a Word document with a password, or an old .doc renamed .docx: save it without a password as a .docx "
     "(Word Document)"),
    ("cut.docx", lambda: DRAFT[:len(DRAFT) // 2], "not a readable Word document (File is not a zip file)"),
    ("sheet.docx", lambda: docx_bytes("").replace(b"word/document.xml", b"word/documenX.xml"),
     "not a Word document (no document part in it)"),
    ("bomb.docx", lambda: docx_bytes(para(run(" " * 2_000_000))),
     "its document part inflates to 2.0 MB, over the 1 MB a Word document is read to (a zip bomb?)"),
    ("liar.docx", _lying_sizes, "not a readable Word document (Bad CRC-32 for file 'word/document.xml')"),
    ("empty.docx", lambda: docx_bytes(para()), "empty file"),
])
def test_a_word_document_that_cannot_be_read_is_skipped_with_a_warning_naming_it_and_why(
        tmp_path, caplog, monkeypatch, name, make, reason):
    monkeypatch.setattr(docx, "MAX_PART", 1_000_000)
    (tmp_path / name).write_bytes(make())
    (tmp_path / "good.txt").write_text("The ferry leaves at noon.", encoding="utf-8")
    assert read_with_warnings(tmp_path, caplog) == (["good.txt"], [(name, reason)], [f"skipping {name}: {reason}"])


def test_reading_a_word_document_gives_up_past_its_cpu_time_budget_naming_why(monkeypatch):
    monkeypatch.setattr(docx, "MAX_SECONDS", 0)
    with pytest.raises(ValueError, match=r"^gave up after 0 s of reading it \(a zip bomb\?\)$"):
        docx.read_docx(docx_bytes(para(run("word")) * 20_000), max_chars=1_000_000)  # 1.3 MB of XML


# each cell a merge's first, whose text is kept for the rows under it
@pytest.mark.parametrize("properties", ["", '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'])
def test_a_table_row_of_a_great_many_tiny_cells_is_read_in_memory_of_the_order_of_its_text(properties):
    # 200,000 cells of one letter in one row: 1.4 MB of XML zipped to 25 KB
    row = f"<w:tc>{properties}<w:t>c</w:t></w:tc>" * 200_000
    data = docx_bytes(f"<w:tbl><w:tr>{row}</w:tr></w:tbl>")
    tracemalloc.start()
    try:
        text = docx.read_docx(data, max_chars=20_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text == "|" + " c |" * 200_000
    assert peak < 16 * len(text)  # was 60 times its 800,000 characters (48 MB): a tuple kept for each bar and space


def test_a_word_documents_text_is_held_to_the_size_limit_in_characters(tmp_path, monkeypatch):
    (tmp_path / "long.docx").write_bytes(docx_bytes(para(run("word " * 400))))  # 2,000 characters, zipped to 0.7 KB
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.001")
    corpus = read_corpus(tmp_path)
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("long.docx", "more than 1,000 characters of text, the limit (set CITEBOT_MAX_FILE_MB)")]


def test_citebot_ask_answers_from_a_word_draft_dropped_into_the_corpus_with_its_sentence_verbatim(template, tmp_path):
    corpus, index = fresh_copy(template, tmp_path / "w")
    (corpus / "drafts").mkdir()
    (corpus / "drafts" / "riga.docx").write_bytes(DRAFT)
    asked = citebot("ask", "--json", "--corpus", corpus, "--index", index,
                    "How many hectares does the floating solar farm in Riga cover?")
    assert asked.returncode == 0, asked.stderr
    assert re.fullmatch(r"citebot: the corpus changed: updating the index…\n"
                        r"citebot: indexed 3 articles into 16 passages in \d+\.\d s \(1 passage embedded\)\n",
                        asked.stderr), asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["answer"] == ("The port of Riga switched on a floating solar farm on Monday, covering eleven hectares "
                                "of the old timber harbour.")
    source = answer["sources"][0]
    assert (source["doc"], source["title"]) == ("drafts/riga.docx", "Riga port opens a floating solar farm")
    assert DRAFT_TEXT[source["start"]:source["end"]] == source["passage"]


def test_citebot_add_copies_a_word_draft_into_the_corpus_as_its_text_once_and_the_next_question_finds_it(
        template, tmp_path):
    corpus, index = fresh_copy(template, tmp_path / "w")
    draft = tmp_path / "Riga draft.docx"
    draft.write_bytes(DRAFT)
    added = citebot("add", "--corpus", corpus, "--index", index, draft)
    # It was "citebot: error: cannot add …/Riga draft.docx: only .txt, .md, .html and .pdf files can be added"
    assert added.returncode == 0, added.stderr
    lines = added.stdout.splitlines()
    assert re.fullmatch(r"added: Riga port opens a floating solar farm \(1 passage\) -> "
                        r"local/riga-draft-[0-9a-f]{6}\.md", lines[0]), lines
    rel = lines[0].rsplit(" -> ", 1)[1]
    meta, body_start = frontmatter.parse((corpus / rel).read_text(encoding="utf-8"))
    assert meta["file"] == "Riga draft.docx"
    assert (corpus / rel).read_text(encoding="utf-8")[body_start:] == DRAFT_TEXT + "\n"

    second = tmp_path / "Downloads" / "Riga draft (1).docx"  # the same draft, downloaded again
    second.parent.mkdir()
    second.write_bytes(DRAFT)
    again = citebot("add", "--corpus", corpus, "--index", index, second)
    assert again.stdout == f"already known: Riga port opens a floating solar farm ({rel})\n", again.stderr
    asked = citebot("ask", "--json", "--corpus", corpus, "--index", index,
                    "How many hectares does the floating solar farm in Riga cover?")
    assert asked.stderr == ""  # the add updated the index
    source = json.loads(asked.stdout)["sources"][0]
    assert (source["doc"], source["title"]) == (rel, "Riga port opens a floating solar farm")


def test_citebot_add_says_why_a_word_document_cannot_be_added_and_writes_nothing(template, tmp_path):
    corpus, index = fresh_copy(template, tmp_path / "w")
    before = sorted(p.name for p in corpus.rglob("*"))
    liar = tmp_path / "liar.docx"
    liar.write_bytes(_lying_sizes())
    added = citebot("add", "--corpus", corpus, "--index", index, liar)
    assert added.returncode == 1
    assert added.stderr == (f"citebot: error: cannot add {liar}: not a readable Word document "
                            "(Bad CRC-32 for file 'word/document.xml')\n")
    assert sorted(p.name for p in corpus.rglob("*")) == before


@pytest.mark.parametrize("name, make, reason", [
    ("bomb.docx", lambda: docx_bytes(para(run(" " * 2_000_000))),
     "its document part inflates to 2.0 MB, over the 1 MB a Word document is read to (a zip bomb?)"),
    ("locked.DOCX", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
     "a Word document with a password, or an old .doc renamed .docx: save it without a password as a .docx "
     "(Word Document)"),
    ("empty.docx", lambda: docx_bytes(para()), "the file is empty"),
])
def test_a_word_document_sent_to_be_added_is_read_within_the_bounds_of_the_corpus_reader(
        tmp_path, monkeypatch, name, make, reason):
    monkeypatch.setattr(docx, "MAX_PART", 1_000_000)
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path).add_bytes(make(), name)
    assert str(refused.value) == f"cannot add {name}: {reason}"
    assert list(tmp_path.iterdir()) == []  # refused before the corpus folder is looked at


def test_why_a_word_document_an_admin_sent_is_not_added_is_said_in_each_language(tmp_path, monkeypatch):
    from bot.messages import explain

    monkeypatch.setattr(docx, "MAX_PART", 1_000_000)
    monkeypatch.setenv("CITEBOT_MAX_FILE_MB", "0.001")
    sent = {"bomb.docx": docx_bytes(para(run(" " * 2_000_000))),
            "long.docx": docx_bytes(para(run("word " * 400))),
            "sheet.docx": docx_bytes("").replace(b"word/document.xml", b"word/documenX.xml")}
    said = []
    for name, data in sent.items():
        with pytest.raises(AddError) as refused:
            ArticleAdder(tmp_path).add_bytes(data, name)
        said.append([refused.value.reason] + [explain(refused.value, refused.value.reason, lang)
                                              for lang in ("uk", "ro", "ru")])
    monkeypatch.setattr(docx, "MAX_PART", 200_000_000)
    monkeypatch.delenv("CITEBOT_MAX_FILE_MB")
    monkeypatch.setattr(docx, "MAX_SECONDS", 0)
    with pytest.raises(AddError) as refused:
        ArticleAdder(tmp_path).add_bytes(docx_bytes(para(run("word")) * 20_000), "slow.docx")
    said.append([explain(refused.value, refused.value.reason, lang) for lang in ("en", "uk", "ro", "ru")])
    # It was each time the English, whatever language the admin's Telegram speaks
    assert said == [
        ["its document part inflates to 2.0 MB, over the 1 MB a Word document is read to (a zip bomb?)",
         "його основна частина розпаковується до 2 МБ, понад 1 МБ, до яких читається документ Word (zip-бомба?)",
         "partea sa principală se dezarhivează la 2 MB, peste cei 1 MB până la care se citește un document Word "
         "(o bombă zip?)",
         "его основная часть распаковывается до 2 МБ, больше 1 МБ, до которых читается документ Word (zip-бомба?)"],
        ["more than 1,000 characters of text, the limit (set CITEBOT_MAX_FILE_MB)",
         "його текст довший за 1\u00a0000 символів, ліміт, який задає CITEBOT_MAX_FILE_MB",
         "textul său depășește 1.000 de caractere, limita stabilită de CITEBOT_MAX_FILE_MB",
         "его текст длиннее 1\u00a0000 символов, лимита, который задаёт CITEBOT_MAX_FILE_MB"],
        ["not a Word document (no document part in it)",
         "це не документ Word (у ньому немає основної частини документа)",
         "nu este un document Word (nu conține partea de document)",
         "это не документ Word (в нём нет основной части документа)"],
        ["gave up after 0 s of reading it (a zip bomb?)",
         "читання припинено після 0 с (zip-бомба?)",
         "citirea a fost abandonată după 0 s (o bombă zip?)",
         "чтение прекращено через 0 с (zip-бомба?)"],
    ]


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FERRY_DRAFT = docx_bytes(
    para(run("Aurora to sail through the winter on batteries"))
    + para(run("The electric ferry Aurora will keep crossing the Gulf of Finland on batteries alone through the winter, "
               "its operator said on Monday, after ice trials off Porkkala.")))


def test_citebot_add_reads_a_word_draft_a_link_serves_as_word_or_names_docx_within_the_bounds_of_a_linked_pdf(
        workspace, site):
    corpus, index = workspace
    site.files["/drafts/riga"] = (WORD, DRAFT)  # served as a Word document
    site.files["/s3/ferry-draft.docx"] = ("application/octet-stream", FERRY_DRAFT)  # as S3 serves one uploaded untyped
    site.files["/big.docx"] = (WORD, b"PK\x03\x04" + bytes(200_000))
    site.files["/notes.docx"] = ("application/octet-stream", b"plain words, not a zip")

    def add(path: str, **env) -> tuple[int, str, str]:
        done = citebot("add", "--corpus", corpus, "--index", index, "--max-bytes", "100000", site.url(path), env=env)
        return done.returncode, done.stdout, done.stderr

    riga = add("/drafts/riga")
    # It was "citebot: error: cannot add …/drafts/riga: not an HTML page or a PDF (Content-Type application/vnd…)"
    assert riga[0] == 0, riga[2]
    line = riga[1].splitlines()[0]
    assert re.fullmatch(r"added: Riga port opens a floating solar farm \(1 passage\) -> "
                        r"127\.0\.0\.1/riga-[0-9a-f]{6}\.md", line), line
    rel = line.rsplit(" -> ", 1)[1]
    meta, body_start = frontmatter.parse((corpus / rel).read_text(encoding="utf-8"))
    assert meta["url"] == site.url("/drafts/riga")
    assert (corpus / rel).read_text(encoding="utf-8")[body_start:] == DRAFT_TEXT + "\n"
    ferry = add("/s3/ferry-draft.docx")
    assert ferry[0] == 0, ferry[2]
    assert ferry[1].split(" -> ")[0] == "added: Aurora to sail through the winter on batteries (1 passage)"
    assert add("/drafts/riga")[1] == f"already known: Riga port opens a floating solar farm ({rel})\n"  # fetched again
    assert [add(path)[2] for path in ("/big.docx", "/notes.docx")] == [
        f"citebot: error: cannot add {site.url('/big.docx')}: the body is 200,004 bytes, over the 100,000-byte limit\n",
        f"citebot: error: cannot add {site.url('/notes.docx')}: not an HTML page, a PDF or a Word document "
        "(Content-Type application/octet-stream)\n"]
    site.files["/s3/long.docx"] = (WORD, docx_bytes(para(run("word " * 40))))
    assert add("/s3/long.docx", CITEBOT_MAX_FILE_MB="0.0001")[2] == (
        f"citebot: error: cannot add {site.url('/s3/long.docx')}: more than 100 characters of text, the limit "
        "(set CITEBOT_MAX_FILE_MB)\n")
    asked = citebot("ask", "--json", "--corpus", corpus, "--index", index,
                    "How many hectares does the floating solar farm in Riga cover?")
    assert json.loads(asked.stdout)["sources"][0]["doc"] == rel


def test_a_word_document_refused_for_its_cpu_time_is_not_read_again_by_later_builds_until_it_or_the_budget_changes(
        tmp_path, monkeypatch, caplog, embedder):
    from index.build import IndexBuilder
    from index.store import Store

    read = []
    real = docx.read_docx
    monkeypatch.setattr(docx, "read_docx", lambda data, *args, **kwargs: read.append(len(data)) or real(data, *args,
                                                                                                         **kwargs))
    monkeypatch.setattr(docx, "MAX_SECONDS", 0)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bomb.docx").write_bytes(docx_bytes(para(run("word")) * 20_000))  # 1.3 MB of XML: refused at 0 s
    (corpus / "note.txt").write_text("The council met on Tuesday.", encoding="utf-8")
    builder = IndexBuilder(corpus, tmp_path / "index", embedder)
    reason = "gave up after 0 s of reading it (a zip bomb?)"

    def build() -> list[tuple[str, str]]:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            built = builder.build()
        assert [m for m in caplog.messages if m.startswith("skipping")] == [f"skipping bomb.docx: {reason}"]
        return [(s.path, s.reason) for s in built.skipped]

    assert (build(), len(read)) == ([("bomb.docx", reason)], 1)
    (corpus / "ferry.txt").write_text("The ferry leaves at noon.", encoding="utf-8")
    assert (build(), len(read)) == ([("bomb.docx", reason)], 1)  # each build read it again: 20 s of CPU at 20 s
    assert (build(), len(read)) == ([("bomb.docx", reason)], 1)  # nothing changed
    (corpus / "bomb.docx").write_bytes(docx_bytes(para(run("words")) * 20_000))
    assert (build(), len(read)) == ([("bomb.docx", reason)], 2)  # another file: read
    monkeypatch.setattr(docx, "MAX_SECONDS", 0.001)
    reason = reason.replace("0 s", "0.001 s")
    assert (build(), len(read)) == ([("bomb.docx", reason)], 3)  # a larger budget: read again
    assert sorted(Store.load(builder.index_dir).articles) == ["ferry.txt", "note.txt"]
    # only its CPU time: a document refused for its size (a zip bomb) is told so unread, at no cost
    assert docx.refusals() == {"gave up after 0.001 s of reading it (a zip bomb?)"}
