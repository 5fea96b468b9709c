"""Reports read only our static files and data: URIs: WeasyPrint never calls out or reads other files."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from sendplan import pdf, reports
from sendplan.models import Report
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db

HOSTILE_KIND = "fetch_test"
# A 1×1 transparent GIF.
GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


class _Recorder(BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        type(self).paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A web server on a free loopback port that records every request it gets."""
    _Recorder.paths = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def report_files(settings, tmp_path):
    """A report template with hostile URLs and a static stylesheet that makes the page A5."""
    templates, static = tmp_path / "templates", tmp_path / "static"
    (templates / "reports").mkdir(parents=True)
    (static / "css").mkdir(parents=True)
    (static / "css" / "report-a5.css").write_text("@page { size: A5; }")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}]
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]
    return templates / "reports" / "fetch_test.html"


@pytest.fixture
def fetchers(monkeypatch):
    """Record every fetcher the renderer makes, to see what it served and refused."""
    made = []

    class Recording(pdf.StaticFilesFetcher):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            made.append(self)

    monkeypatch.setattr(pdf, "StaticFilesFetcher", Recording)
    return made


@pytest.fixture
def hostile_kind(monkeypatch):
    kind = reports.DocumentKind(
        kind=HOSTILE_KIND,
        action="report_request",
        gather=lambda school, by: {"hostile": True},
        template="reports/fetch_test.html",
        layout=lambda data: {"title": "Fetch test"},
    )
    monkeypatch.setitem(reports.KINDS, HOSTILE_KIND, kind)


def test_a_report_renders_without_fetching_from_the_network_or_other_files(
    world, governor_a_user, listener, report_files, fetchers, hostile_kind
):
    port = listener.server_address[1]
    report_files.write_text(
        "{% load static %}<!DOCTYPE html><html><head>"
        '<link rel="stylesheet" href="{% static \'css/report-a5.css\' %}">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/evil.css">'
        "</head><body><p>Report</p>"
        f'<img src="http://127.0.0.1:{port}/x.png" alt="">'
        '<img src="http://127.0.0.1:9/x.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        '<img src="../../../etc/hostname" alt="">'
        f'<img src="{GIF}" alt="">'
        "</body></html>"
    )
    report = reports.report_request(
        kind=HOSTILE_KIND, subject=world.school_a, by=membership_of(governor_a_user)
    )
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    assert _Recorder.paths == []  # nothing reached the web server
    (fetcher,) = fetchers
    assert sorted(fetcher.refused) == sorted(
        [
            f"http://127.0.0.1:{port}/evil.css",
            f"http://127.0.0.1:{port}/x.png",
            "http://127.0.0.1:9/x.png",
            "file:///etc/passwd",
            "file:///etc/hostname",  # a relative path that climbs out of the static namespace
        ]
    )
    assert fetcher.served == ["file:///static/css/report-a5.css", GIF[:40]]


def test_a_static_stylesheet_shapes_the_page(report_files):
    report_files.write_text(
        '{% load static %}<html><head><link rel="stylesheet" href="{% static \'css/report-a5.css\' %}"></head>'
        "<body><p>A5</p></body></html>"
    )
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("reports/fetch_test.html")
    fetcher = pdf.StaticFilesFetcher()
    page = HTML(string=html, base_url=pdf.static_base_url(), url_fetcher=fetcher).render().pages[0]
    # A5 is 148 × 210 mm; WeasyPrint measures pages in CSS pixels (96 to the inch).
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (148, 210)
    assert fetcher.refused == []


@pytest.mark.parametrize(
    ("url", "served"),
    [
        ("file:///static/css/app.css", True),  # {% static %} under the report's base URL
        ("file:///static/css/missing.css", False),
        ("file:///static/../etc/passwd", False),
        ("file:///static//etc/passwd", False),
        ("file:///etc/passwd", False),
        ("file://evil.example/static/css/app.css", False),
        ("http://127.0.0.1/static/css/app.css", False),
        ("https://example.org/static/css/app.css", False),
        ("ftp://example.org/static/css/app.css", False),
    ],
)
def test_which_urls_name_a_static_file(url, served):
    assert (pdf.static_file(url) is not None) is served


def test_collected_static_files_are_read_from_static_root(settings, tmp_path):
    # In production {% static %} names a collected, hashed file that only STATIC_ROOT holds.
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.0123abcd.css").write_text("@page { size: A4; }")
    settings.STATIC_ROOT = tmp_path
    assert pdf.static_file("file:///static/css/print.0123abcd.css") == tmp_path / "css" / "print.0123abcd.css"
    assert pdf.static_file("file:///static/../" + str(tmp_path.name)) is None
