"""What a PowerPoint slide shows beyond its shapes' text frames, read from python-pptx's parts: a
chart's lines and a SmartArt diagram's text (ingest.formats.ooxml_chart), and the slide's comments,
'Comment (author): ...', replies too, of both kinds PowerPoint writes (p:cm, and the 2018 threaded
p188:cm with its authors in ppt/authors.xml).
"""

from lxml import etree
from pptx.shapes.base import BaseShape
from pptx.slide import Slide

from ingest.formats import ooxml_chart
from ingest.formats.ooxml_package import OpcPart, related_parts, root_of

_DIAGRAM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def drawing(shape: BaseShape) -> list[str]:
    """A chart's or diagram's lines; none for any other shape."""
    if shape.has_chart:
        root = root_of(shape.chart_part)
        return ooxml_chart.chart(root) if root is not None else []
    found = next(shape.element.iter(_DIAGRAM), None)
    if found is None or (rid := found.get(f"{_R}dm")) not in shape.part.rels:
        return []
    root = root_of(shape.part.related_part(rid))
    return ooxml_chart.paragraphs(root) if root is not None else []


def comments(slide: Slide, authors: dict[str, str]) -> list[str]:
    lines = []
    for part in related_parts(slide.part, "comments"):
        root = root_of(part)
        for comment in root.iter() if root is not None else ():
            if etree.QName(comment).localname not in ("cm", "reply"):
                continue
            body = comment.find("{*}txBody")                # a threaded comment's text
            text = comment.findtext("{*}text") or (" ".join(ooxml_chart.paragraphs(body)) if body is not None else "")
            author = authors.get(comment.get("authorId", ""))
            if text.strip():
                lines.append(f"Comment ({author}): {text}" if author else f"Comment: {text}")
    return lines


def authors(presentation: OpcPart) -> dict[str, str]:
    """{author id: name} of the comments' authors."""
    found = {}
    for kind in ("commentAuthors", "authors"):
        for part in related_parts(presentation, kind):
            root = root_of(part)
            for author in root.iter("{*}cmAuthor", "{*}author") if root is not None else ():
                found[author.get("id", "")] = author.get("name", "")
    return found
