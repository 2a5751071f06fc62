"""The renderers' one URL fetcher (issue 15, finding 2): the project's static files and
inline images are served; server files, traversal, symlink escapes, every network scheme
and inline non-images are refused, recorded and logged."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import pytest
from weasyprint import HTML

from inspectorate.lib.safe_fetch import FetchRefused, StaticFetcher

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def static(tmp_path: Path) -> Path:
    root = tmp_path / "static"
    (root / "images").mkdir(parents=True)
    (root / "images" / "crest.png").write_bytes(PNG)
    (tmp_path / "secret.txt").write_text("SECRET_KEY=not-for-pdfs")
    (root / "images" / "escape.png").symlink_to(tmp_path / "secret.txt")
    (root / "etc").symlink_to("/etc", target_is_directory=True)
    return root


@pytest.fixture
def fetcher(static: Path) -> StaticFetcher:
    return StaticFetcher([static])


def test_a_static_image_is_served(fetcher: StaticFetcher, static: Path) -> None:
    response = fetcher.fetch((static / "images" / "crest.png").as_uri())
    assert response.read() == PNG
    assert response.content_type == "image/png"
    assert fetcher.refused == []


def test_an_inline_image_is_served(fetcher: StaticFetcher) -> None:
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert fetcher.fetch(url).read() == PNG


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///proc/self/environ",
        "file://localhost/etc/passwd",
        "file://otherhost/etc/passwd",
        "http://127.0.0.1:9/x.css",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/x.png",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1/x",
        "data:text/html,<script>alert(1)</script>",
        "data:,plain",
        "data:text/css;base64,Ym9keXt9",
        "javascript:alert(1)",
        "x.png",
    ],
)
def test_everything_else_is_refused(fetcher: StaticFetcher, url: str) -> None:
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.asked == [url]
    assert fetcher.refused == [url]


@pytest.mark.parametrize(
    "tail",
    [
        "images/../../secret.txt",
        "images/%2e%2e/%2e%2e/secret.txt",
        "images/escape.png",  # a symlink out of the static files
        "etc/passwd",  # a symlinked directory out of them
        "images/missing.png",
    ],
)
def test_traversal_and_symlink_escapes_are_refused(
    fetcher: StaticFetcher, static: Path, tail: str
) -> None:
    with pytest.raises(FetchRefused):
        fetcher.fetch(f"file://{static}/{tail}")


def test_a_refusal_is_logged(fetcher: StaticFetcher, caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="inspectorate.lib.safe_fetch"),
        pytest.raises(FetchRefused),
    ):
        fetcher.fetch("file:///etc/passwd")
    assert "refused 'file:///etc/passwd'" in caplog.text


@pytest.mark.rule("SEC-2")
def test_weasyprint_gets_the_static_image_and_nothing_else(
    fetcher: StaticFetcher, static: Path
) -> None:
    html = (
        '<img src="images/crest.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        '<link rel="attachment" href="file:///proc/self/environ">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
    )
    pdf = HTML(string=html, base_url=static.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    crest = (static / "images" / "crest.png").as_uri()
    assert crest in fetcher.asked
    assert crest not in fetcher.refused
    assert set(fetcher.refused) == {
        "file:///etc/passwd",
        "file:///proc/self/environ",
        "http://127.0.0.1:9/x.css",
    }
    assert b"/EmbeddedFile" not in pdf
