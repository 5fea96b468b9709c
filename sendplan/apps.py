from importlib import import_module

from django.apps import AppConfig


class SendplanConfig(AppConfig):
    name = "sendplan"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        # Register the Celery tasks in every process (web and worker), so a service queues a task by its
        # name (sendplan/reports.py) without importing the tasks module, which imports the services.
        import_module("sendplan.tasks")
        import_module("sendplan.todo")  # registers what needs doing about reports, on the home page
