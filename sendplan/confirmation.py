"""The GOV.UK confirmation page that comes before an action that cannot be undone or changes who sees what.

A view answers GET with ``confirmation_page`` (what will happen, a warning, one button) and does the work on
POST to the same URL, so the action works the same without JavaScript and is never one click from a list.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

TEMPLATE = "components/confirm.html"


@dataclass
class Confirmation:
    """What a confirmation page says: a question as its heading, what will happen, a warning and a button."""

    heading: str
    button: str
    action_url: str
    cancel_url: str
    warning: str = ""
    paragraphs: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)  # (key, value) rows of a summary list
    caption: str = ""
    destructive: bool = False  # a red button: removing something


def confirmation_page(request: HttpRequest, confirmation: Confirmation, **context) -> HttpResponse:
    """Render the confirmation page for an action; its form posts back to ``action_url``."""
    return render(request, TEMPLATE, {"confirm": confirmation, **context})
