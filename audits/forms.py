"""GOV.UK forms for audits; they check input and feed the services."""

from decimal import Decimal

from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audits.models import Action, validate_academic_year
from sendplan.forms import GDSDateField, GDSForm
from sendplan.uploads import ALLOWED_DESCRIPTION, ALLOWED_EXTENSIONS

NOT_APPLICABLE = "na"
BLANK_AUDIT = "blank"
DUE_DATE_PAST = "Due date must be today or in the future"  # the "start a blank audit" answer to "Start from an earlier audit?"


def _date_field(label: str, help_text: str = "") -> GDSDateField:
    return GDSDateField(label=label, help_text=help_text)


class AuditStartForm(GDSForm):
    submit_label = "Start audit"
    framework_version = forms.ChoiceField(
        label="Framework",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a framework",
            "invalid_choice": "Select one of the frameworks shown",
        },
    )
    academic_year = forms.CharField(
        label="Academic year",
        max_length=7,
        help_text="For example, 2026/27",
        validators=[validate_academic_year],
        error_messages={"required": "Enter the academic year, like 2026/27"},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    carry_from = forms.ChoiceField(
        label="Start from an earlier audit?",
        widget=forms.RadioSelect,
        help_text="Ratings, rationales and evidence are copied, each marked ‘to confirm’. Open actions carry "
        "over. You can start from an audit of the same framework only.",
        error_messages={
            "required": "Select whether to start from an earlier audit",
            "invalid_choice": "Select one of the answers shown",
        },
    )

    def __init__(self, *args, versions, previous_audits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].choices = [(str(v.public_id), str(v)) for v in versions]
        self.helper.form_action = reverse("audits:audit_start")
        if previous_audits:
            # Never chosen for the person (GOV.UK: no radio is pre-selected); they say which, or a blank one.
            self.fields["carry_from"].choices = [(BLANK_AUDIT, "No, start a blank audit")] + [
                (str(a.public_id), f"Yes, from the {a.academic_year} audit ({a.framework_version})")
                for a in previous_audits
            ]
        else:
            del self.fields["carry_from"]
        self.helper.layout = Layout(
            Field.radios("framework_version", legend_size=Size.MEDIUM),
            Field.text("academic_year", field_width=10),
            *([Field.radios("carry_from", legend_size=Size.MEDIUM)] if previous_audits else []),
        )


class ResponseForm(forms.Form):
    """One criterion's rating: a level (or not applicable, with a reason) and a rationale.

    Rendered by hand in audits/partials/_criterion.html, so many can sit on one page with unique ids.
    """

    level = forms.ChoiceField(required=False)
    na_reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    rationale = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, levels, allow_na: bool, statutory: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        self.allow_na = allow_na  # never for a statutory duty: scoring.may_be_not_applicable
        self.fields["level"].error_messages["invalid_choice"] = (
            "This is a statutory duty, so it cannot be not applicable: select how well it is in place"
            if statutory
            else "Select one of the levels shown"
        )
        choices = [(str(lv.value), lv.label) for lv in levels]
        if allow_na:
            choices.append((NOT_APPLICABLE, "Not applicable"))
        self.fields["level"].choices = choices

    def clean(self):
        data = super().clean()
        level = data.get("level")
        data["not_applicable"] = level == NOT_APPLICABLE
        data["level_value"] = int(level) if level and level != NOT_APPLICABLE else None
        if not level and "level" not in self.errors:
            self.add_error("level", "Select how well this is in place, or ‘Not applicable’")
        elif level == NOT_APPLICABLE and not (data.get("na_reason") or "").strip():
            self.add_error("na_reason", "Enter why this criterion does not apply to your school")
        # A level above the lowest without a rationale still saves: scoring.needs_rationale marks it
        # "Rationale needed" and audit_submit waits for it, so a first pass of levels is never lost.
        return data


class ActionForm(GDSForm):
    submit_label = "Save action"
    criterion = forms.ChoiceField(
        label="Criterion this action improves", error_messages={"required": "Select a criterion"}
    )
    what = forms.CharField(
        label="What will be done",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.CharField(
        label="Who will do it", max_length=150, error_messages={"required": "Enter who will do it"}
    )
    due = _date_field("Due date", "For example, 27 3 2027")
    success_measure = forms.CharField(
        label="How you will know it has worked",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter how you will know it has worked"},
    )
    estimated_cost = forms.DecimalField(
        label="Estimated cost in pounds (optional)",
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the estimated cost as a number, like 250 or 99.50",
            "min_value": "Enter an estimated cost of 0 or more",
            "max_decimal_places": "Enter the estimated cost in pounds and pence, like 99.50",
            "max_digits": "Enter an estimated cost below £100,000,000",
        },
    )
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices, widget=forms.RadioSelect)

    def __init__(self, *args, criteria, editing: bool = False, original_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_due = original_due
        self.fields["criterion"].choices = [("", "Select a criterion")] + [
            (str(c.public_id), f"{c.ref}: {c.statement[:90]}") for c in criteria
        ]
        if not editing:
            del self.fields["status"]
        self.helper.layout = Layout(
            Field.select("criterion"),
            Field.textarea("what", rows=3),
            Field.text("owner", field_width=20),
            Field("due"),
            Field.textarea("success_measure", rows=3),
            Field.text("estimated_cost", field_width=10),
            *([Field.radios("status", legend_size=Size.SMALL, inline=True)] if editing else []),
        )

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due and due < timezone.localdate() and due != self.original_due:
            raise forms.ValidationError(DUE_DATE_PAST)
        return due


class EvidenceForm(GDSForm):
    submit_label = "Add evidence"
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, ‘SEN policy 2026’ or ‘Provision map, spring term’",
        error_messages={"required": "Enter a title for the evidence"},
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text=f"{ALLOWED_DESCRIPTION}, up to {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB",
        widget=forms.FileInput(
            attrs={"class": "govuk-file-upload", "accept": ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)}
        ),
    )
    url = forms.URLField(
        label="Or give a link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="To a document in your school's own storage, for example",
        widget=forms.TextInput(attrs={"input_type": "url", "spellcheck": "false"}),
        error_messages={"invalid": "Enter a link in the correct format, like https://example.org/policy"},
    )
    criteria = forms.MultipleChoiceField(
        label="Which criteria does it support?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one criterion"},
    )
    shareable_with_governors = forms.BooleanField(label="Governors may see this evidence", required=False)

    def __init__(self, *args, criteria, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Full statements: a label cut mid-word is unreadable (the page groups them by section).
        self.fields["criteria"].choices = [(str(c.public_id), f"{c.ref}: {c.statement}") for c in criteria]
        if editing:
            del self.fields["file"], self.fields["url"]
            self.submit_label = "Save evidence"
        layout = [Field.text("title")]
        if not editing:
            layout += [Field("file"), Field.text("url")]
        layout += [Field.checkbox("shareable_with_governors")]
        self.helper.layout = Layout(*layout)
        # The page draws the criteria (grouped by section, with a filter box) and the button itself.
        self.helper.inputs = []
        self.helper.form_tag = False  # the page's own form carries enctype and the "next" field

    def clean(self):
        data = super().clean()
        if "file" not in self.fields:
            return data
        upload, url = data.get("file"), data.get("url")
        if "url" in self.errors:
            return data
        if upload and url:
            self.add_error("url", "Upload a file or give a link, not both")
        elif not upload and not url:
            self.add_error("file", "Choose a file to upload, or give a link")
        elif upload and upload.size > settings.EVIDENCE_MAX_BYTES:
            self.add_error(
                "file",
                f"The selected file must be smaller than {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB",
            )
        return data


class CommentForm(GDSForm):
    submit_label = "Add comment"
    criterion = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a comment"},
    )


class DecisionForm(GDSForm):
    submit_label = "Return to the school"
    comment = forms.CharField(
        label="What does the school need to change?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the school needs to change"},
    )

    def __init__(self, *args, accept: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if accept:
            self.fields["comment"].required = False
            self.fields["comment"].label = "Comment for the school (optional)"
            self.helper.inputs = []
            self.helper.add_input(Submit("submit", "Accept the audit"))


class GovernorReviewForm(GDSForm):
    submit_label = "Record the review"
    reviewed_on = _date_field("Date of the meeting", "For example, 12 3 2027")
    minute_reference = forms.CharField(
        label="Minute reference",
        max_length=120,
        help_text="For example, FGB 2027/03 item 6",
        error_messages={"required": "Enter the minute reference"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("reviewed_on"), Field.text("minute_reference", field_width=20))

    def clean_reviewed_on(self):
        value = self.cleaned_data["reviewed_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("Date of the meeting must be today or in the past")
        return value


class RoundClosingDateForm(GDSForm):
    submit_label = "Save the closing date"
    closes_on = _date_field(
        "Closing date", "The date schools should submit their audits by. For example, 31 1 2027"
    )

    def clean_closes_on(self):
        value = self.cleaned_data["closes_on"]
        if value and value < timezone.localdate():
            raise forms.ValidationError("The closing date must be today or in the future")
        return value


class CompareForm(GDSForm):
    submit_label = "Compare"
    other = forms.ChoiceField(
        label="Compare with", error_messages={"required": "Select an audit to compare with"}
    )

    def __init__(self, *args, audits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [
            (str(a.public_id), f"{a.academic_year}: {a.framework_version} ({a.get_status_display().lower()})")
            for a in audits
        ]
        self.helper.form_method = "get"


class RoundFilterForm(forms.Form):
    """The audit round's choices: which round (version and year), and how to narrow and order its schools."""

    version = forms.ChoiceField(label="Framework")
    year = forms.ChoiceField(label="Academic year")
    search = forms.CharField(label="School name or URN", required=False, max_length=100)
    phase = forms.ChoiceField(label="Phase", required=False)
    school_type = forms.ChoiceField(label="Type", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    sort = forms.ChoiceField(required=False)
    order = forms.ChoiceField(required=False, choices=[("asc", "Ascending"), ("desc", "Descending")])

    def __init__(self, *args, versions, years, **kwargs):
        from audits import rounds
        from sendplan.models import School

        super().__init__(*args, **kwargs)
        self.versions = {str(v.public_id): v for v in versions}
        self.fields["version"].choices = [(key, str(v)) for key, v in self.versions.items()]
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["phase"].choices = [("", "Any phase")] + list(School.Phase.choices)
        self.fields["school_type"].choices = [("", "Any type")] + list(School.Type.choices)
        self.fields["status"].choices = [("", "Any status")] + list(rounds.STATUSES.items())
        self.fields["sort"].choices = list(rounds.SORT_LABELS.items())
