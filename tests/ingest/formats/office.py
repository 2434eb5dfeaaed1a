"""Real presentations and OpenDocument files built in memory for the format tests: PPTX by
python-pptx, ODT/ODP/ODG written by hand (a zip holding mimetype first and stored, the manifest,
content.xml and meta.xml, as LibreOffice writes them), and the packages' hostile variants: slides
repeated or multiplied, macros added, a member whose declared size is a lie."""

import io
import re
import struct
import zipfile
from xml.sax.saxutils import escape

from pptx import Presentation
from pptx.util import Inches

_NS = " ".join(f'xmlns:{p}="urn:oasis:names:tc:opendocument:xmlns:{uri}"' for p, uri in {
    "office": "office:1.0", "text": "text:1.0", "table": "table:1.0", "draw": "drawing:1.0", "style": "style:1.0",
    "presentation": "presentation:1.0", "meta": "meta:1.0", "svg": "svg-compatible:1.0",
    "fo": "xsl-fo-compatible:1.0"}.items()) + ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
_BODY = {"text": "office:text", "presentation": "office:presentation", "graphics": "office:drawing"}
MACRO_MAIN = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"


def deck(slides: list[dict], title: str = "", author: str = "") -> bytes:
    """A presentation: each slide a dict of 'title', 'body' (lines), 'table' (rows), 'group' (texts
    in a group shape), 'notes' and 'hidden'."""
    prs = Presentation()
    for spec in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[1 if "body" in spec else 5])
        slide.shapes.title.text = spec.get("title", "")
        if "body" in spec:
            slide.placeholders[1].text = "\n".join(spec["body"])
        if rows := spec.get("table"):
            grid = slide.shapes.add_table(len(rows), len(rows[0]), Inches(1), Inches(2), Inches(6), Inches(1)).table
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    grid.cell(r, c).text = value
        if texts := spec.get("group"):
            group = slide.shapes.add_group_shape()
            for i, text in enumerate(texts):
                group.shapes.add_textbox(Inches(i), Inches(5), Inches(1), Inches(1)).text_frame.text = text
        if "notes" in spec:
            slide.notes_slide.notes_text_frame.text = spec["notes"]
        if spec.get("hidden"):
            slide.element.set("show", "0")
    prs.core_properties.title, prs.core_properties.author = title, author
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def repackage(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The package with members replaced, added, or (None) removed; the rest as they were."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in change:
                target.writestr(info, source.read(info))
        for name, member in change.items():
            if member is not None:
                target.writestr(name, member)
    return buffer.getvalue()


def read_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def macro_deck(data: bytes) -> bytes:
    """A .pptm: the main part's content type says macros, and it holds ppt/vbaProject.bin."""
    types = read_member(data, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", MACRO_MAIN.encode())
    return repackage(data, {"[Content_Types].xml": types,
                            "ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Sub AutoOpen()" * 50})


def repeated_slides(data: bytes, count: int) -> bytes:
    """presentation.xml listing its first slide `count` times (one part, many entries)."""
    xml = read_member(data, "ppt/presentation.xml").decode()
    entry = re.search(r"<p:sldId [^>]*/>", xml).group()
    many = "".join(entry.replace('id="256"', f'id="{256 + i}"') for i in range(count))
    return repackage(data, {"ppt/presentation.xml": re.sub(r"<p:sldIdLst>.*</p:sldIdLst>",
                                                           f"<p:sldIdLst>{many}</p:sldIdLst>", xml).encode()})


def many_slides(data: bytes, count: int) -> bytes:
    """The first slide copied into `count` distinct slide parts, each saying its number."""
    slide = read_member(data, "ppt/slides/slide1.xml").decode()
    rels = read_member(data, "ppt/slides/_rels/slide1.xml.rels")
    rels = re.sub(rb'<Relationship [^>]*notesSlide[^>]*/>', b"", rels)
    pres = read_member(data, "ppt/presentation.xml").decode()
    pres_rels = read_member(data, "ppt/_rels/presentation.xml.rels").decode()
    types = read_member(data, "[Content_Types].xml").decode()
    change: dict[str, bytes | None] = {"ppt/slides/slide1.xml": None, "ppt/slides/_rels/slide1.xml.rels": None}
    ids, links, overrides = [], [], []
    for n in range(1, count + 1):
        text = re.sub(r"<a:t>[^<]*</a:t>", f"<a:t>Slide text {n}</a:t>", slide, count=1)
        change[f"ppt/slides/slide{n}.xml"] = text.encode()
        change[f"ppt/slides/_rels/slide{n}.xml.rels"] = rels
        ids.append(f'<p:sldId id="{255 + n}" r:id="rIdS{n}"/>')
        links.append(f'<Relationship Id="rIdS{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     f'relationships/slide" Target="slides/slide{n}.xml"/>')
        overrides.append(f'<Override PartName="/ppt/slides/slide{n}.xml" ContentType="application/'
                         f'vnd.openxmlformats-officedocument.presentationml.slide+xml"/>')
    pres = re.sub(r"<p:sldIdLst>.*</p:sldIdLst>", f"<p:sldIdLst>{''.join(ids)}</p:sldIdLst>", pres)
    pres_rels = re.sub(r'<Relationship [^>]*/slide"[^>]*/>', "", pres_rels).replace("</Relationships>",
                                                                                   "".join(links) + "</Relationships>")
    types = re.sub(r'<Override PartName="/ppt/(slides|notesSlides)/[^>]*/>', "", types).replace(
        "</Types>", "".join(overrides) + "</Types>")
    change |= {"ppt/presentation.xml": pres.encode(), "ppt/_rels/presentation.xml.rels": pres_rels.encode(),
               "[Content_Types].xml": types.encode()}
    return repackage(data, change)


def lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """The package with `member`'s uncompressed size given as `declared` in its local header and
    in the central directory, whatever it really inflates to."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for found in re.finditer(re.escape(signature), data):
            start = found.start()
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if data[name_at : name_at + length] == name:
                struct.pack_into("<I", out, start + offset, declared)
    return bytes(out)


def odf(kind: str, body: str, styles: str = "", title: str = "", creator: str = "", created: str = "",
        encrypted: bool = False, doctype: str = "") -> bytes:
    """An OpenDocument package of `kind` (text, presentation, graphics) whose body holds `body`."""
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content {_NS} office:version="1.3">'
               f"<office:automatic-styles>{styles}</office:automatic-styles>"
               f"<office:body><{_BODY[kind]}>{body}</{_BODY[kind]}></office:body></office:document-content>")
    fields = "".join(f"<{tag}>{escape(value)}</{tag}>" for tag, value in (
        ("dc:title", title), ("meta:initial-creator", creator), ("meta:creation-date", created)) if value)
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_NS} office:version="1.3">'
            f"<office:meta>{fields}</office:meta></office:document-meta>")
    encryption = ('<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
                  '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
                  "</manifest:encryption-data>") if encrypted else ""
    manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}'
                "</manifest:file-entry></manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), mimetype)                  # first and stored, as ODF asks
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        package.writestr("content.xml", bytes(range(256)) * 8 if encrypted else content, zipfile.ZIP_DEFLATED)
        package.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
