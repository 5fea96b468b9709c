from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits"

    def ready(self) -> None:
        from audits import documents, home_panels, todo  # noqa: F401  (register documents, panels, what needs doing)
