from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation from a headteacher or LA admin; there is no public sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
