"""GOV.UK forms for the public documents; they check input and feed the services."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.urls import reverse
from django.utils import timezone

from audits.models import validate_academic_year
from publications import checks, money
from publications.models import MAX_YEARS, Activity, Publication
from sendplan.forms import GDSForm


class PublicationForm(GDSForm):
    """A GDS form whose too-long text says so in GOV.UK words ("… must be 2,000 characters or fewer")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                label = str(field.label).replace(" (optional)", "")
                field.error_messages["max_length"] = (
                    f"{label} must be {field.max_length:,} characters or fewer"
                )


def _date_field(label: str, help_text: str = "", required: bool = True) -> DateInputField:
    field = DateInputField(label=label, help_text=help_text, required=required)
    field.error_messages.update(
        required=f"Enter the {label.lower()}",
        incomplete=f"Enter the {label.lower()} as a day, month and year",
        invalid=f"Enter the {label.lower()} as a real date",
    )
    return field


def _year_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=7,
        help_text="For example, 2026/27",
        validators=[validate_academic_year],
        error_messages={"required": "Enter the academic year, like 2026/27"},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )


def _carry_choices(previous: list[Publication]) -> list[tuple[str, str]]:
    return [("", "No, start a blank one")] + [
        (str(p.public_id), f"Yes, from the {p.years_label} one") for p in previous
    ]


class StrategyStartForm(PublicationForm):
    submit_label = "Start the strategy"
    first_year = _year_field("First academic year")
    years = forms.TypedChoiceField(
        label="How many years does it cover?",
        coerce=int,
        choices=[(n, "1 year" if n == 1 else f"{n} years") for n in range(1, MAX_YEARS + 1)],
        widget=forms.RadioSelect,
        help_text="A strategy for more than one year must be reviewed every year.",
        error_messages={"required": "Select how many years the strategy covers"},
    )
    carry_from = forms.ChoiceField(
        label="Start from an earlier strategy?",
        widget=forms.RadioSelect,
        required=False,
        help_text="Its statement, barriers and activities are copied. Its outcomes become last year's outcomes, to review.",
    )

    def __init__(self, *args, previous: list[Publication], **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = reverse("publications:strategy_start")
        layout = [
            Field.text("first_year", field_width=10),
            Field.radios("years", legend_size=Size.SMALL, inline=True),
        ]
        if previous:
            self.fields["carry_from"].choices = _carry_choices(previous)
            self.initial.setdefault("carry_from", str(previous[0].public_id))
            layout.append(Field.radios("carry_from", legend_size=Size.SMALL))
        else:
            del self.fields["carry_from"]
        self.helper.layout = Layout(*layout)


class ReportStartForm(PublicationForm):
    submit_label = "Start the report"
    academic_year = _year_field("Academic year")
    carry_from = forms.ChoiceField(
        label="Start from last year's report?",
        widget=forms.RadioSelect,
        required=False,
        help_text="Every section is copied and marked ‘to check’ until you save it again.",
    )

    def __init__(self, *args, previous: list[Publication], **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = reverse("publications:report_start")
        layout = [Field.text("academic_year", field_width=10)]
        if previous:
            self.fields["carry_from"].choices = _carry_choices(previous)
            self.initial.setdefault("carry_from", str(previous[0].public_id))
            layout.append(Field.radios("carry_from", legend_size=Size.SMALL))
        else:
            del self.fields["carry_from"]
        self.helper.layout = Layout(*layout)


class CoverForm(PublicationForm):
    submit_label = "Save"
    years = forms.TypedChoiceField(
        label="How many years does it cover?",
        coerce=int,
        choices=[(n, "1 year" if n == 1 else f"{n} years") for n in range(1, MAX_YEARS + 1)],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how many years it covers"},
    )
    review_date = _date_field("Review date", "When you will next review it. For example, 31 7 2027")
    authorised_by = forms.ChoiceField(
        label="Who authorised it?",
        choices=Publication.AuthorisedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who authorised it"},
    )
    authorised_by_name = forms.CharField(
        label="Name (optional)",
        required=False,
        max_length=150,
        help_text="For example, the chair of governors or the headteacher",
    )

    def __init__(self, *args, publication: Publication, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [
            Field("review_date"),
            Field.radios("authorised_by", legend_size=Size.SMALL),
            Field.text("authorised_by_name", field_width=20),
        ]
        if publication.is_strategy:
            layout.insert(0, Field.radios("years", legend_size=Size.SMALL, inline=True))
        else:
            del self.fields["years"]
        self.helper.layout = Layout(*layout)

    def clean_review_date(self):
        value = self.cleaned_data["review_date"]
        if value and value < timezone.localdate():
            raise forms.ValidationError("Enter a review date that is today or in the future")
        return value


class StatementForm(PublicationForm):
    """The statement of intent, with GOV.UK's character count set to words; the limit is checked here too."""

    submit_label = "Save statement"
    statement = forms.CharField(
        label="Your statement of intent",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Short sentences and plain words. Never name a pupil.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("statement", rows=14, max_words=checks.STATEMENT_MAX_WORDS, label_size=Size.MEDIUM)
        )

    def clean_statement(self):
        text = self.cleaned_data["statement"]
        words = checks.word_count(text)
        if words > checks.STATEMENT_MAX_WORDS:
            raise forms.ValidationError(
                f"Statement of intent must be {checks.STATEMENT_MAX_WORDS} words or fewer (it has {words})"
            )
        return text


class BarrierForm(PublicationForm):
    submit_label = "Save barrier"
    text = forms.CharField(
        label="Barrier to learning and participation",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What gets in the way of pupils learning or taking part. Never name a pupil.",
        error_messages={"required": "Enter the barrier"},
    )


class ActivityForm(PublicationForm):
    submit_label = "Save activity"
    description = forms.CharField(
        label="What is the activity?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the activity is"},
    )
    reach = forms.ChoiceField(
        label="Is it universal or targeted?",
        choices=Activity.Reach.choices,
        widget=forms.RadioSelect,
        help_text="Universal: for every pupil. Targeted: for pupils who need more.",
        error_messages={"required": "Select universal or targeted"},
    )
    principles = forms.MultipleChoiceField(
        label="Which principles of inclusion does it serve?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one principle"},
    )
    barriers = forms.MultipleChoiceField(
        label="Which barriers does it address? (optional)",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    funding_source = forms.ChoiceField(
        label="Where does the money come from?",
        choices=Activity.FundingSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the money comes from"},
    )
    cost = forms.CharField(
        label="Budgeted cost in pounds (optional)",
        required=False,
        max_length=20,
        help_text="For example, 1250 or 1,250.50. Leave it blank if you do not know it yet.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

    def __init__(self, *args, principles, barriers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principles"].choices = [
            (str(p.public_id), f"{p.number}. {p.statement}") for p in principles
        ]
        self.fields["barriers"].choices = [
            (str(b.public_id), f"{b.number}. {b.text[:120]}") for b in barriers
        ]
        layout = [
            Field.textarea("description", rows=3),
            Field.radios("reach", legend_size=Size.SMALL, inline=True),
            Field.checkboxes("principles", legend_size=Size.SMALL, small=True),
        ]
        if barriers:
            layout.append(Field.checkboxes("barriers", legend_size=Size.SMALL, small=True))
        else:
            del self.fields["barriers"]
        layout += [Field.radios("funding_source", legend_size=Size.SMALL), Field.text("cost", field_width=10)]
        self.helper.layout = Layout(*layout)

    def clean_cost(self):
        text = self.cleaned_data["cost"]
        if not text.strip():
            return None
        try:
            return money.parse_pounds(text)
        except money.NotAnAmount as exc:
            raise forms.ValidationError(str(exc)) from exc


class OutcomeForm(PublicationForm):
    submit_label = "Save outcome"
    text = forms.CharField(
        label="Intended outcome",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the intended outcome"},
    )
    success_criteria = forms.CharField(
        label="Success criteria",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How you will know you have achieved it",
        error_messages={"required": "Enter the success criteria"},
    )


class OutcomeReviewForm(PublicationForm):
    submit_label = "Save review"
    what_happened = forms.CharField(
        label="What happened?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what happened"},
    )
    evidence = forms.CharField(
        label="Evidence (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows it, for example attendance figures or survey results",
    )


class SectionForm(PublicationForm):
    submit_label = "Save section"
    text = forms.CharField(
        label="Your text",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Write for parents: short sentences, plain words. Never name a pupil.",
    )

    def __init__(self, *args, label: str = "Your text", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.helper.layout = Layout(Field.textarea("text", rows=12, label_size=Size.MEDIUM))


class ApprovalForm(PublicationForm):
    submit_label = "Record the approval"
    approved_on = _date_field("Date of the meeting", "For example, 10 12 2026")
    minute_reference = forms.CharField(
        label="Minute reference",
        max_length=120,
        help_text="For example, FGB 2026/12 item 5",
        error_messages={"required": "Enter the minute reference"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("approved_on"), Field.text("minute_reference", field_width=20))

    def clean_approved_on(self):
        value = self.cleaned_data["approved_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date of the meeting must be today or in the past")
        return value
