def test_html_title_and_visible_text(read) -> None:
    page = b"""<!DOCTYPE html><html><head><title> Kestrel   briefing </title>
    <style>p { color: red }</style><script>var secret = "not visible";</script></head>
    <body><h1>Meeting</h1><p>At the <b>lay-by</b> at eleven.</p><noscript>enable js</noscript>
    <ul><li>Sam</li><li>Alex</li></ul></body></html>"""
    extraction = read("page.html", page)
    assert extraction.title == "Kestrel briefing"
    assert extraction.text == "Meeting\nAt the lay-by at eleven.\nSam\nAlex"
    assert extraction.processed_by[0] == "html.v1" and extraction.processed_by[1].startswith("selectolax ")


def test_html_nested_ten_thousand_deep(read) -> None:
    page = ("<html><body>" + "<div>" * 10_000 + "deep text" + "</div>" * 10_000 + "</body></html>").encode()
    assert read("deep.html", page).text == "deep text"


def test_html_declared_charset_is_honoured(read) -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>café “quoted”</p></body></html>'
    assert read("page.html", page.encode("cp1252")).text == "café “quoted”"


def test_html_truncated(read) -> None:
    page = ("<html><body>" + "<p>kestrel</p>" * 100 + "</body></html>").encode()
    extraction = read("page.html", page, max_text_chars=20)
    assert len(extraction.text) == 20
    assert "text truncated to 20 characters" in extraction.processed_by
