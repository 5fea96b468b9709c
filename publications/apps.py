from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Public documents"

    def ready(self) -> None:
        # Offer the PDFs through the report pipeline, and say what needs doing on the home page.
        from publications import documents, todo  # noqa: F401
