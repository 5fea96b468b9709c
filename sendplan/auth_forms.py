"""allauth's sign-in and MFA forms with GOV.UK wording: no placeholders, errors that say what to do."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from django import forms


def _code_field(field: forms.Field, label: str, hint: str) -> None:
    field.label = label
    field.help_text = hint
    field.error_messages["required"] = f"Enter your {label.lower()}"
    field.widget.attrs = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}


class LoginForm(AllauthLoginForm):
    """Email and password; the page itself links to password reset, so the hint does not repeat it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Email address"
        login.error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.org",
        )
        # TextInput with input_type: crispy-forms-gds gives only TextInput the red error border
        login.widget = forms.TextInput(
            attrs={"input_type": "email", "autocomplete": "email", "spellcheck": "false"}
        )
        password = self.fields["password"]
        password.help_text = ""
        password.error_messages["required"] = "Enter your password"
        password.widget.attrs.pop("placeholder", None)


class AuthenticateForm(AllauthAuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self.fields["code"],
            "Authentication code",
            "The 6-digit code from your authenticator app, or one of your recovery codes.",
        )


class ActivateTOTPForm(AllauthActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self.fields["code"], "Code from the app", "Enter the 6-digit code the app shows now.")
