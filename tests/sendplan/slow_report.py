"""Test-only report kinds: one whose first render is slow, so a test can kill the worker in the middle of
it, and one whose database is always out of reach, so a test can watch the retries run out.

The worker process imports this module (``celery worker --include tests.sendplan.slow_report``); the web
side registers them too when a test imports it, to ask for one.
"""

import os
import time

from django.db import OperationalError

from sendplan.models import Report
from sendplan.reports import KINDS, DocumentKind, register_kind

SLOW_KIND = "slow_test"
UNREACHABLE_KIND = "unreachable_test"
overview = KINDS[Report.Kind.SCHOOL_OVERVIEW]


def slow_layout(data: dict) -> dict:
    """Take a long time on the first attempt only; a re-delivered attempt renders at once."""
    attempts = (
        Report.objects.filter(kind=SLOW_KIND).order_by("-pk").values_list("attempts", flat=True).first()
    )
    if attempts == 1:
        time.sleep(float(os.environ.get("SLOW_REPORT_SECONDS", "60")))
    return overview.layout(data)


register_kind(
    DocumentKind(
        kind=SLOW_KIND,
        action="report_request",
        gather=overview.gather,
        template=overview.template,
        layout=slow_layout,
    )
)


def unreachable_layout(data: dict) -> dict:
    """Fail as a dropped database connection does, every time."""
    raise OperationalError("server closed the connection unexpectedly")


register_kind(
    DocumentKind(
        kind=UNREACHABLE_KIND,
        action="report_request",
        gather=overview.gather,
        template=overview.template,
        layout=unreachable_layout,
    )
)
