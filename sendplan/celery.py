"""The Celery application; configuration comes from Django settings (CELERY_* names)."""

import logging
import os

from celery import Celery
from kombu.exceptions import OperationalError as BrokerUnreachable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendplan.settings")

app = Celery("sendplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args) -> bool:
    """Hand a task to the broker; return False, and log, if the broker cannot take it (Redis is down).

    Never raises: the row the task works on stays queued, the person is told so, and the beat sweep
    (sendplan.tasks.sweep_stranded) hands it over again once the broker is back.
    """
    try:
        app.tasks[task_name].delay(*args)
    except (BrokerUnreachable, OSError) as exc:
        logger.warning("Could not queue %s%r: %s; the sweep will queue it again", task_name, args, exc)
        return False
    return True
