from django.apps import AppConfig


class SendplanConfig(AppConfig):
    name = "sendplan"
    verbose_name = "Organisations and people"
