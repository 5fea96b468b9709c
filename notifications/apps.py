from importlib import import_module

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        import_module("notifications.tasks")  # queued by name from services, in web and worker processes
        import_module("notifications.todo")  # the home page's "what needs doing" panel
