"""Rendering reports: jinja2 templates (autoescaped: names and texts are untrusted) to one HTML file, and PDF."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from engine.report.words import word


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("engine.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


@cache
def stylesheet() -> str:
    """The print stylesheet, inlined so the file needs nothing else."""
    return resources.files("engine.report").joinpath("templates/report.css").read_text(encoding="utf-8")


def render(template: str, lang: str, **context: Any) -> str:
    """One self-contained HTML document in ``lang``."""
    return (
        _environment()
        .get_template(template)
        .render(lang=lang, css=stylesheet(), w=lambda key: word(key, lang), **context)
    )


def to_pdf(html: str) -> bytes:
    """The HTML printed to PDF by WeasyPrint (imported here: it needs Pango, which only this path uses)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=_refuse).write_pdf()
    return pdf


def _refuse(url: str, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
    """A report is self-contained: WeasyPrint is never allowed to fetch anything."""
    raise ValueError(f"layak reports fetch nothing (asked for {url})")
