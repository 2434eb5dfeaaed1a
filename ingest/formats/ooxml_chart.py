"""The text of DrawingML parts that a DOCX, PPTX or XLSX shows but keeps apart from its own text:
charts (`*/charts/chartN.xml`) and the text of shapes, text boxes and SmartArt diagrams.

A chart gives 'Chart: <title>' ('Chart:' when it has none), 'Axis: <title>' for each titled axis,
and a line a series from the values cached in the chart (what it shows; the workbook behind it is
an embedded file, read as a child): its name, then its points, 'Series 1: Category 1 = 4.3; Category
2 = 2.5' (a category from each level of a multi-level axis; a scatter chart's x values in place of
categories; values as cached, unformatted). A chart of the Office 2016 kind (chartex) gives its
title and the texts of its series and data, in order.
"""

from collections.abc import Iterable, Iterator

from lxml import etree

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
CX = "{http://schemas.microsoft.com/office/drawing/2014/chartex}"
_LABELS = (f"{C}cat", f"{C}xVal")
_VALUES = (f"{C}val", f"{C}yVal", f"{C}bubbleSize")
_AXES = (f"{C}catAx", f"{C}valAx", f"{C}dateAx", f"{C}serAx")


def chart(root: etree._Element) -> list[str]:
    """The lines of a chart part (see the module's docstring)."""
    if root.tag == f"{CX}chartSpace":
        return _chartex(root)
    plot = root.find(f"{C}chart")
    if plot is None:
        return []
    lines = [f"Chart: {_title(plot.find(f'{C}title'))}".rstrip()]
    area = plot.find(f"{C}plotArea")
    for axis in (a for a in area if a.tag in _AXES) if area is not None else ():
        if title := _title(axis.find(f"{C}title")):
            lines.append(f"Axis: {title}")
    for number, series in enumerate(root.iter(f"{C}ser"), start=1):
        lines.append(_series(series, number))
    return lines


def paragraphs(root: etree._Element) -> list[str]:
    """Each DrawingML paragraph (a:p) under `root` as a line: its runs and fields, line breaks kept."""
    lines = []
    for para in root.iter(f"{A}p"):
        text = "".join(("\n" if node.tag == f"{A}br" else node.text or "") for node in para.iter(f"{A}t", f"{A}br"))
        if text.strip():
            lines.append(text)
    return lines


def _title(title: etree._Element | None) -> str:
    """A title's text: rich text (a:t) or the cached text of a reference (c:v)."""
    if title is None:
        return ""
    return " ".join(" ".join(paragraphs(title)).split()) or " ".join(_texts(title.iter(f"{C}v")))


def _series(series: etree._Element, number: int) -> str:
    tx = series.find(f"{C}tx")
    name = " ".join(_texts(tx.iter(f"{C}v"))) if tx is not None else ""
    labels = next((_points(e) for e in series if e.tag in _LABELS), {})
    columns = [_points(e) for e in series if e.tag in _VALUES]
    points = []
    for idx in sorted(set(labels).union(*columns)):
        values = ", ".join(column[idx] for column in columns if idx in column)
        points.append(f"{labels[idx]} = {values}" if idx in labels and values else labels.get(idx) or values)
    return f"{name or f'Series {number}'}: {'; '.join(points)}".rstrip()


def _points(element: etree._Element) -> dict[int, str]:
    """{index: text} of a cache's points; a multi-level cache's levels joined, the outermost last."""
    found: dict[int, list[str]] = {}
    for point in element.iter(f"{C}pt"):
        value = point.findtext(f"{C}v")
        if value and (index := point.get("idx", "")).isdigit():
            found.setdefault(int(index), []).append(value.strip())
    return {index: " ".join(values) for index, values in found.items()}


def _chartex(root: etree._Element) -> list[str]:
    title = root.find(f".//{CX}title")
    lines = [f"Chart: {' '.join(paragraphs(title)) if title is not None else ''}".rstrip()]
    for data in root.iter(f"{CX}data", f"{CX}series"):
        if texts := [t for t in _texts(data.iter(f"{CX}v", f"{CX}pt")) if t]:
            lines.append("; ".join(texts))
    return lines


def _texts(nodes: Iterable[etree._Element]) -> Iterator[str]:
    return ((node.text or "").strip() for node in nodes)
