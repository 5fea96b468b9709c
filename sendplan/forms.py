"""GOV.UK forms: a small base class and the forms for organisations and people."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from sendplan.models import Role, School


class GDSForm(forms.Form):
    """A plain Django form rendered with GOV.UK markup, with GOV.UK-style error messages.

    Required-field errors default to "Enter …" for text and "Select …" for choices; set
    ``error_messages={"required": …}`` on a field to say something more specific. A text field over its
    ``max_length`` says "… must be N characters or fewer".
    """

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                verb = "Select" if isinstance(field.widget, (forms.RadioSelect, forms.Select)) else "Enter"
                field.error_messages["required"] = f"{verb} {str(field.label).lower()}"
            if isinstance(field, forms.CharField) and field.max_length and field.label:
                # A new validator, not a changed one: form instances share their fields' validators.
                message = f"{str(field.label).removesuffix(' (optional)')} must be {field.max_length} characters or fewer"
                field.validators = [
                    MaxLengthValidator(v.limit_value, message) if isinstance(v, MaxLengthValidator) else v
                    for v in field.validators
                ]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        if self.submit_label:
            self.helper.add_input(Submit("submit", self.submit_label))


class ColumnChoiceForm(GDSForm):
    """Which column of an uploaded file holds each field: one select a field, the file's headings to choose from.

    Used by every upload with a column-matching step (the MIS export, the LA's own OAP spreadsheet).
    """

    def __init__(self, *args, headings: list[str], columns: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.headings = headings
        choices = [("", "Not in the file")] + [
            (str(index), heading or f"Column {index + 1} (no heading)")
            for index, heading in enumerate(headings)
        ]
        for name, label in self.field_labels().items():
            required = name in self.required_fields()
            self.fields[name] = forms.ChoiceField(
                label=label if required else f"{label} (optional)",
                choices=choices,
                widget=forms.Select(attrs={"class": "govuk-!-width-two-thirds"}),
                required=required,
                initial=str(columns[name]) if name in columns else "",
                help_text=self.hint(name),
                error_messages={
                    "required": f"Select the column that holds {self.in_sentence(name)}",
                    "invalid_choice": "Select one of the file's columns, or Not in the file",
                },
            )

    def field_labels(self) -> dict[str, str]:
        raise NotImplementedError

    def required_fields(self) -> tuple[str, ...]:
        raise NotImplementedError

    def in_sentence(self, name: str) -> str:
        """Return the field as it reads after "Select the column that holds"."""
        raise NotImplementedError

    def hint(self, name: str) -> str:
        return ""

    def chosen(self, data: dict) -> dict[str, int]:
        """Return the columns chosen, by field (fields left out are not in it)."""
        return {
            name: int(value)
            for name, value in data.items()
            if name in self.field_labels() and value not in ("", None)
        }


class GDSDateField(DateInputField):
    """A GOV.UK date input (day, month, year) whose errors say which date is wrong and why.

    Every date in the service uses it: crispy-forms-gds's own field shows Python's "day is out of range for
    month" for 31 2 2027, where GOV.UK says "<label> must be a real date".
    """

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {label[0].lower() + label[1:]}"
        self.error_messages["incomplete"] = f"{label} must include a day, month and year"
        names = ("day", "month", "year")
        for name, sub in zip(names, self.fields, strict=True):
            sub.error_messages["incomplete"] = f"{label} must include a {name}"
            sub.validators[0].message = f"{label} must be a real date"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # OverflowError: a year or month of 20 digits and more
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from None
        if value.year < 1900:
            raise ValidationError(f"{self.label} must be after 1900", code="invalid")
        return value


class ChooseOrganisationForm(GDSForm):
    submit_label = "Continue"
    membership = forms.ChoiceField(
        label="Who are you acting for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the school or local authority you are acting for"},
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (str(m.public_id), f"{m.organisation_name} ({m.get_role_display()})") for m in memberships
        ]


class SchoolForm(GDSForm):
    submit_label = "Save school"
    name = forms.CharField(label="School name", max_length=160)
    urn = forms.RegexField(
        label="URN",
        regex=r"^\d{6}$",
        help_text="The 6-digit unique reference number",
        error_messages={
            "invalid": "Enter a URN of 6 digits, like 123456",
            "required": "Enter the school's URN",
        },
    )
    establishment_number = forms.RegexField(
        label="Establishment number (optional)",
        regex=r"^\d{4}$",
        required=False,
        help_text="The 4 digits that follow your LA code in the LAESTAB",
        error_messages={"invalid": "Enter an establishment number of 4 digits, like 2001"},
    )
    phase = forms.ChoiceField(label="Phase", choices=School.Phase.choices, widget=forms.RadioSelect)
    school_type = forms.ChoiceField(label="Type of school", choices=School.Type.choices)


class InvitationForm(GDSForm):
    submit_label = "Send invitation"
    email = forms.EmailField(
        label="Email address",
        max_length=254,  # Invitation.email
        widget=forms.TextInput(attrs={"input_type": "email", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)
    school = forms.ChoiceField(
        label="School", required=False, help_text="Leave blank to invite to the LA itself"
    )

    def __init__(self, *args, roles: list[str], schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].choices = [("", "The local authority")] + [
                (str(s.public_id), f"{s.name} ({s.urn})") for s in schools
            ]


class AcceptInvitationForm(GDSForm):
    submit_label = "Create account"
    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label="Create a password",
        help_text="At least 10 characters. A passphrase of three or four words works well.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label="Confirm password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        error_messages={"required": "Confirm your password"},
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Passwords do not match")
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
