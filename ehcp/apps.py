from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "ehcp"
    verbose_name = "EHC plans"

    def ready(self) -> None:
        from ehcp import documents, home_panels  # noqa: F401  (register the documents and the home panel)
