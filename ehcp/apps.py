from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "ehcp"
    verbose_name = "EHC plans"

    def ready(self) -> None:
        from ehcp import home_panels, todo  # noqa: F401  (register the home-page panel and what needs doing)
