from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "Standards"

    def ready(self) -> None:
        from standards import home_panels  # noqa: F401  (registers the home-page panel)
