from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits"

    def ready(self) -> None:
        from audits import home_panels, todo  # noqa: F401  (register the home page panels and what needs doing)
