from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "ehcp"
    verbose_name = "EHC plans"

    def ready(self) -> None:
        from ehcp import documents, home_panels, la_summary, todo  # noqa: F401  (register documents, panel, what needs doing)
