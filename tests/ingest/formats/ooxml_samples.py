"""OOXML packages with the parts Office adds around a document's own text, built in memory for the
tests of ingest/formats/ooxml_*.py: embedded files (as they are, and inside OLE objects: an OLE
Package's Ole10Native stream, a PDF in CONTENTS, a DOCX in Package), charts (their XML written by
python-pptx's chart writer, as PowerPoint writes it, caches included), a text box, tracked changes,
and a VBA project. The documents themselves come from python-docx, python-pptx and openpyxl."""

import io
import re
import struct

import docx
from openpyxl.comments import Comment
from pptx.chart.data import CategoryChartData
from pptx.chart.xmlwriter import ChartXmlWriter
from pptx.enum.chart import XL_CHART_TYPE

from tests.ingest.formats.office import read_member, repackage
from tests.ingest.formats.ole_writer import compound
from tests.ingest.formats.sheets import xlsx

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Sub AutoOpen()\r\n  Shell \"calc.exe\"\r\nEnd Sub\r\n" * 40


def chart_xml(title: str, categories: list[str], series: dict[str, list[float]]) -> bytes:
    data = CategoryChartData()
    data.categories = categories
    for name, values in series.items():
        data.add_series(name, values)
    xml = ChartXmlWriter(XL_CHART_TYPE.COLUMN_CLUSTERED, data).xml
    rich = (f"<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx>"
            "</c:title>")
    return xml.replace("<c:chart>", "<c:chart>" + rich, 1).encode()


def ole10native(name: str, data: bytes) -> bytes:
    """An OLE Package object (what dragging a file into Word makes): a compound file whose
    \\x01Ole10Native stream holds the file's name, paths and bytes."""
    label, path, temp = name.encode(), f"C:\\Users\\dc\\Desktop\\{name}".encode(), f"C:\\Temp\\{name}".encode()
    body = (b"\x02\x00" + label + b"\x00" + path + b"\x00" + struct.pack("<HHI", 0, 3, len(temp) + 1) + temp + b"\x00"
            + struct.pack("<I", len(data)) + data)
    return compound({"\x01Ole10Native": struct.pack("<I", len(body)) + body, "\x01CompObj": b"\x01\x00\xfe\xff" * 8})


def ole_stream(stream: str, data: bytes) -> bytes:
    """An OLE object holding a file in one stream: 'CONTENTS' (Acrobat's PDF), 'Package' (an OOXML file)."""
    return compound({stream: data, "\x01Ole": b"\x01\x00\x00\x02" + bytes(16)})


def docx_with(paragraphs: list[str], body: str = "", embedded: dict[str, bytes] | None = None,
              chart: bytes | None = None, comment: tuple[str, str] | None = None, header: str = "",
              macros: bool = False) -> bytes:
    """A DOCX of `paragraphs`, then `body` (raw WordprocessingML paragraphs), a chart in a paragraph
    of its own, `embedded` files in word/embeddings/, a comment (author, text) on the first
    paragraph, a header, and (macros) a VBA project with the .docm content type."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if comment:
        document.add_comment(document.paragraphs[0].runs, text=comment[1], author=comment[0])
    if header:
        document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    xml = read_member(data, "word/document.xml").decode()
    rels = read_member(data, "word/_rels/document.xml.rels").decode()
    types = read_member(data, "[Content_Types].xml").decode()
    change: dict[str, bytes | None] = {f"word/embeddings/{n}": d for n, d in (embedded or {}).items()}
    if chart:
        body += ('<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
                 'wordprocessingDrawing"><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                 '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c='
                 f'"http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="{REL}" r:id="rIdChart1"/>'
                 "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>")
        rels = rels.replace("</Relationships>", f'<Relationship Id="rIdChart1" Type="{REL}/chart" '
                                                'Target="charts/chart1.xml"/></Relationships>')
        types = types.replace("</Types>", f'<Override PartName="/word/charts/chart1.xml" ContentType="{CHART_TYPE}"/>'
                                          "</Types>")
        change["word/charts/chart1.xml"] = chart
    if macros:
        types = types.replace("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                              "application/vnd.ms-word.document.macroEnabled.main+xml")
        change["word/vbaProject.bin"] = VBA
    xml = re.sub(r"(<w:sectPr[ >])", lambda m: body + m.group(1), xml, count=1)
    change |= {"word/document.xml": xml.encode(), "word/_rels/document.xml.rels": rels.encode(),
               "[Content_Types].xml": types.encode()}
    return repackage(data, change)


def text_box(text: str) -> str:
    """A paragraph anchoring a text box, as Word 2010+ writes one: the DrawingML shape as the first
    choice, the same text again in a VML fallback for older readers."""
    box = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return ('<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            '<mc:Choice Requires="wps"><w:drawing><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/'
            f'wordprocessingShape"><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:textbox xmlns:v="urn:schemas-microsoft-com:vml">{box}</v:textbox></w:pict>'
            "</mc:Fallback></mc:AlternateContent></w:r></w:p>")


def tracked(kept: str, deleted: str) -> str:
    """A paragraph whose `deleted` words were struck out with change tracking on."""
    return (f'<w:p><w:r><w:t xml:space="preserve">{kept} </w:t></w:r><w:del w:id="9" w:author="DC Jones">'
            f"<w:r><w:delText>{deleted}</w:delText></w:r></w:del></w:p>")


def xlsx_with(sheets: dict, embedded: dict[str, bytes] | None = None, comment: tuple[str, str, str] | None = None,
              chart: bytes | None = None, shape_text: str = "", macros: bool = False) -> bytes:
    """A workbook (tests.ingest.formats.sheets.xlsx) with a comment (cell, author, text) on its first
    sheet, a drawing holding a text box and a chart on it, embedded files and a VBA project."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx(sheets)))
    if comment:
        book.worksheets[0][comment[0]].comment = Comment(comment[2], comment[1])
    if chart or shape_text:
        from openpyxl.chart import BarChart, Reference
        placeholder = BarChart()
        placeholder.add_data(Reference(book.worksheets[0], min_col=1, min_row=1, max_row=2))
        book.worksheets[0].add_chart(placeholder, "E5")
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    change: dict[str, bytes | None] = {f"xl/embeddings/{n}": d for n, d in (embedded or {}).items()}
    if chart:
        change["xl/charts/chart1.xml"] = chart
    if shape_text:
        drawing = read_member(data, "xl/drawings/drawing1.xml").decode()
        shape = ('<xdr:oneCellAnchor xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
                 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:from><xdr:col>1</xdr:col>'
                 '<xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
                 '<xdr:ext cx="100" cy="100"/><xdr:sp><xdr:nvSpPr><xdr:cNvPr id="9" name="TextBox 1"/>'
                 '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/>'
                 f'<a:p><a:r><a:t>{shape_text}</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/>'
                 "</xdr:oneCellAnchor>")
        change["xl/drawings/drawing1.xml"] = re.sub(r"(</(\w+:)?wsDr>)", shape + r"\1", drawing).encode()
    if macros:
        change["xl/vbaProject.bin"] = VBA
    return repackage(data, change)



def slide_comment(data: bytes, author: str, text: str) -> bytes:
    """The presentation with a comment by `author` on its first slide, as PowerPoint 2013 writes one."""
    p = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    comments = (f'<p:cmLst {p}><p:cm authorId="1" idx="1"><p:pos x="10" y="10"/><p:text>{text}</p:text></p:cm>'
                "</p:cmLst>")
    authors = (f'<p:cmAuthorLst {p}><p:cmAuthor id="1" name="{author}" initials="DJ" lastIdx="1" clrIdx="0"/>'
               "</p:cmAuthorLst>")
    kind = "application/vnd.openxmlformats-officedocument.presentationml"
    types = read_member(data, "[Content_Types].xml").decode().replace("</Types>", (
        f'<Override PartName="/ppt/comments/comment1.xml" ContentType="{kind}.comments+xml"/>'
        f'<Override PartName="/ppt/commentAuthors.xml" ContentType="{kind}.commentAuthors+xml"/></Types>'))

    def linked(rels: str, rid: str, kind: str, target: str) -> bytes:
        return rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"/>'
                                                "</Relationships>").encode()

    return repackage(data, {
        "ppt/comments/comment1.xml": comments.encode(), "ppt/commentAuthors.xml": authors.encode(),
        "[Content_Types].xml": types.encode(),
        "ppt/slides/_rels/slide1.xml.rels": linked(read_member(data, "ppt/slides/_rels/slide1.xml.rels").decode(),
                                                   "rIdC1", "comments", "../comments/comment1.xml"),
        "ppt/_rels/presentation.xml.rels": linked(read_member(data, "ppt/_rels/presentation.xml.rels").decode(),
                                                  "rIdA1", "commentAuthors", "commentAuthors.xml")})
