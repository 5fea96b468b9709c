from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Public documents"

    def ready(self) -> None:
        from publications import documents  # noqa: F401  (offers the PDFs through the report pipeline)
