"""A test-only report kind whose first render is slow, so a test can kill the worker in the middle of it.

The worker process imports this module (``celery worker --include tests.sendplan.slow_report``); the web
side needs nothing from it, because a report's kind is only a string until a worker renders it.
"""

import os
import time

from sendplan.reports import report_renderer, school_overview_context

SLOW_KIND = "slow_test"


@report_renderer(SLOW_KIND)
def slow_context(report):
    """Take a long time on the first attempt only; a re-delivered attempt renders at once."""
    if report.attempts == 1:
        time.sleep(float(os.environ.get("SLOW_REPORT_SECONDS", "60")))
    return school_overview_context(report)
