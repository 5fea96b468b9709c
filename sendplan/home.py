"""Panels on the home page: each app registers what it shows each role (see <app>/home_panels.py)."""

from collections.abc import Callable

from django.http import HttpRequest

# A panel function takes the request and returns {"template": ..., **context}, or None to show nothing.
PanelFunction = Callable[[HttpRequest], dict | None]
PANELS: list[tuple[int, PanelFunction]] = []


def home_panel(order: int) -> Callable[[PanelFunction], PanelFunction]:
    """Register a home-page panel; lower ``order`` comes first."""

    def register(func: PanelFunction) -> PanelFunction:
        PANELS.append((order, func))
        PANELS.sort(key=lambda pair: pair[0])
        return func

    return register


def panels_for(request: HttpRequest) -> list[dict]:
    """Return the panels to show the person on their home page."""
    return [panel for _, func in PANELS if (panel := func(request)) is not None]
