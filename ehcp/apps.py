from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "ehcp"
    verbose_name = "EHC plans"

    def ready(self) -> None:
        from ehcp import home_panels  # noqa: F401  (registers the home-page panel)
