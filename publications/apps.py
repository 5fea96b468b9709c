from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Public documents"

    def ready(self) -> None:
        # Register the PDF renderers with the report pipeline, and what needs doing on the home page.
        from publications import documents, todo  # noqa: F401
