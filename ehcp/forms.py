"""GOV.UK forms for pupils, leavers, cycles, the MIS import and each section of an EHC plan."""

from crispy_forms_gds.choices import Choice
from django import forms
from django.core.exceptions import ValidationError

from ehcp import mis, services
from ehcp.census import AREAS_OF_NEED, SEN_PROVISION, year_groups_for
from ehcp.deadlines.service import DELIVERY_METHODS
from ehcp.models import NEED_CHOICES, SECTIONS, LookedAfter, Plan, Pupil, YearGroup
from sendplan.forms import ColumnChoiceForm, GDSDateField, GDSForm
from sendplan.models import School

YES_NO = [("yes", "Yes, I've completed this section"), ("no", "No, I'll come back to it later")]


def _text(
    label: str, *, required: bool = True, rows: int = 4, max_length: int | None = None, help_text: str = ""
):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text, widget=widget
    )


def year_choices(school: School) -> list[tuple[str, str]]:
    """Return the year groups the school's phase teaches, as form choices."""
    offered = year_groups_for(school.phase)
    return [(value, label) for value, label in YearGroup.choices if value in offered]


INDICATORS = [
    ("free_school_meals", "Eligible for free school meals"),
    ("pupil_premium", "Pupil premium"),
    ("eal", "English as an additional language"),
]


class PupilForm(GDSForm):
    submit_label = "Save pupil"
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = GDSDateField(label="Date of birth", help_text="For example, 23 9 2016")
    year_group = forms.ChoiceField(label="Year group")
    upn = forms.CharField(
        label="Unique pupil number (UPN) (optional)",
        required=False,
        max_length=20,
        help_text="13 characters, from your management information system",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    sen_provision = forms.ChoiceField(label="SEN provision", choices=SEN_PROVISION, widget=forms.RadioSelect)
    primary_need = forms.ChoiceField(
        label="Primary need",
        required=False,
        choices=[("", "None")] + NEED_CHOICES,
        help_text="Required for SEN support (K) or an EHC plan (E). NSA is for SEN support only.",
    )
    secondary_need = forms.ChoiceField(
        label="Secondary need (optional)",
        required=False,
        choices=[("", "None")] + NEED_CHOICES,
        help_text="Leave blank if the primary need is NSA.",
    )
    added_to_register_on = GDSDateField(
        label="Date added to the SEN register", required=False, help_text="For example, 4 9 2025"
    )
    indicators = forms.MultipleChoiceField(
        label="Which of these apply? (optional)",
        required=False,
        choices=INDICATORS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    looked_after = forms.ChoiceField(
        label="Is the pupil looked after by a local authority, or were they?",
        choices=LookedAfter.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the pupil is or was looked after"},
    )

    def __init__(self, *args, school: School, pupil: Pupil | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school, self.pupil = school, pupil
        self.fields["year_group"].choices = [("", "Select a year group")] + year_choices(school)
        self.fields["year_group"].error_messages["required"] = "Select a year group"
        self.fields["sen_provision"].error_messages["required"] = "Select the pupil's SEN provision"

    @classmethod
    def initial_for(cls, pupil: Pupil) -> dict:
        """Return the form's initial values for a pupil already on the register."""
        names = ("first_name", "last_name", "date_of_birth", "year_group", "upn", "sen_provision")
        initial = {name: getattr(pupil, name) for name in names}
        initial |= {
            "primary_need": pupil.primary_need,
            "secondary_need": pupil.secondary_need,
            "added_to_register_on": pupil.added_to_register_on,
            "looked_after": pupil.looked_after,
            "indicators": [name for name, _ in INDICATORS if getattr(pupil, name)],
        }
        return initial

    def clean(self):
        data = super().clean()
        errors = services.pupil_validate(school=self.school, pupil=self.pupil, **self._details(data))
        for name, message in errors.items():
            if name not in self.errors and name in self.fields:  # a field's own error says what to fix
                self.add_error(name, message)
        return data

    def _details(self, data: dict) -> dict:
        names = (
            "first_name",
            "last_name",
            "year_group",
            "upn",
            "sen_provision",
            "primary_need",
            "secondary_need",
        )
        details = {name: data.get(name) or "" for name in names}
        details["date_of_birth"] = data.get("date_of_birth")
        details["added_to_register_on"] = data.get("added_to_register_on")
        details["looked_after"] = data.get("looked_after") or LookedAfter.NO
        chosen = data.get("indicators") or []
        details |= {name: name in chosen for name, _ in INDICATORS}
        return details

    def service_data(self) -> dict:
        return self._details(self.cleaned_data)


class LeaveForm(GDSForm):
    submit_label = "Mark as left"
    left_on = GDSDateField(label="Date the pupil left", help_text="For example, 18 7 2026")


class RemoveForm(GDSForm):
    submit_label = "Remove the record"
    confirm = forms.ChoiceField(
        label="Was this record added in error?",
        choices=[("yes", "Yes, remove the record"), ("no", "No, keep it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the record was added in error"},
    )


class LegalHoldForm(GDSForm):
    submit_label = "Save legal hold"
    hold = forms.ChoiceField(
        label="Keep this record past its retention date?",
        choices=[("yes", "Yes, place a legal hold"), ("no", "No, lift the legal hold")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to place or lift the legal hold"},
    )
    reason = forms.CharField(
        label="Why must the record be kept?",
        required=False,
        max_length=200,
        help_text="For example, a tribunal appeal or a claim. Needed to place a hold.",
    )

    def clean(self):
        data = super().clean()
        if data.get("hold") == "yes" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the record must be kept")
        return data


class CarerForm(GDSForm):
    submit_label = "Add parent or carer"
    name = forms.CharField(label="Full name", max_length=150)
    relationship = forms.CharField(
        label="Relationship to the pupil",
        max_length=60,
        help_text="For example, mother, grandfather, foster carer",
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"input_type": "tel", "autocomplete": "off"}),
    )
    # Checked by services.carer_validate, as a carer from the CSV import is: one rule, the same words.
    email = forms.CharField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"input_type": "email", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        errors = services.carer_validate(**{name: data.get(name) or "" for name in self.fields})
        for name, message in errors.items():
            if name not in self.errors:  # a field's own error already says what to fix
                self.add_error(name, message)
        return data


class CycleForm(GDSForm):
    submit_label = "Save cycle"
    started_on = GDSDateField(label="Date the cycle started")
    assessed = _text("What was assessed", help_text="Assess: what you looked at and what it showed")
    outcomes_sought = _text(
        "Outcomes sought", help_text="Plan: what the pupil should be able to do by the review"
    )
    provision_what = _text("Provision put in place", help_text="Do: the support, intervention or adjustment")
    provision_frequency = forms.CharField(
        label="How often", max_length=200, help_text="For example, 3 sessions of 20 minutes a week"
    )
    provision_who = forms.CharField(label="Who delivers it", max_length=200)
    review_date = GDSDateField(label="Review date")
    review_findings = _text("What the review found (optional)", required=False)
    parent_views = _text("Parents' views (optional)", required=False)
    pupil_views = _text("Pupil's views (optional)", required=False)

    def clean(self):
        data = super().clean()
        start, review = data.get("started_on"), data.get("review_date")
        if start and review and review < start:
            self.add_error("review_date", "Review date must be on or after the date the cycle started")
        return data


class PupilImportForm(GDSForm):
    submit_label = "Upload and preview"
    file = forms.FileField(
        label="Upload your MIS export",
        help_text="A CSV or Excel (.xlsx) file of up to 1 MB. Nothing is added until you confirm the preview.",
        error_messages={"required": "Select a CSV or Excel file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > services.IMPORT_MAX_BYTES:
            raise ValidationError("The selected file must be smaller than 1 MB")
        content = upload.read()
        try:
            services.check_import_file(upload.name, content)
        except services.ImportInvalid as exc:
            raise ValidationError(exc.problems[0].message) from None
        upload.content = content
        return upload


class ImportColumnsForm(ColumnChoiceForm):
    """Which column of the file holds each of the register's fields."""

    submit_label = "Save and preview"

    def field_labels(self) -> dict[str, str]:
        return mis.FIELDS

    def required_fields(self) -> tuple[str, ...]:
        return mis.REQUIRED

    def in_sentence(self, name: str) -> str:
        return f"the {mis.in_sentence(name)}"

    def clean(self):
        data = super().clean()
        errors = services.import_columns_validate(headings=self.headings, columns=self.chosen(data))
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def columns(self) -> dict[str, int | None]:
        return {name: int(value) if value != "" else None for name, value in self.cleaned_data.items()}


class ImportConfirmForm(forms.Form):
    digest = forms.CharField(max_length=64)


def _plan_date_label(name: str) -> str:
    return Plan._meta.get_field(name).verbose_name


class PlanStartForm(GDSForm):
    submit_label = "Start the plan"
    started_by = forms.ChoiceField(
        label=_plan_date_label("started_by"),
        choices=Plan.StartedBy.choices,
        widget=forms.RadioSelect,
        required=False,  # a request unless said otherwise
    )
    requested_on = GDSDateField(
        label=_plan_date_label("requested_on"),
        help_text="The day the LA received the request for an EHC needs assessment, or became responsible for "
        "the child. Its deadlines run from it.",
    )

    def clean_started_by(self) -> str:
        return self.cleaned_data["started_by"] or Plan.StartedBy.REQUEST

    def clean(self):
        data = super().clean()
        _add_plan_date_errors(self, data)
        return data


class PlanDatesForm(GDSForm):
    submit_label = "Save dates"
    started_by = forms.ChoiceField(
        label=_plan_date_label("started_by"),
        choices=Plan.StartedBy.choices,
        widget=forms.RadioSelect,
        required=False,  # a request unless said otherwise
        help_text="The 6 and 20 weeks run from either (SEND Regulations 2014, regs 5(1) and 13(2))",
    )
    requested_on = GDSDateField(
        label=_plan_date_label("requested_on"),
        help_text="The day the LA received the request, or became responsible for the child",
    )
    decided_on = GDSDateField(label=_plan_date_label("decided_on"), required=False)
    advice_requested_on = GDSDateField(label=_plan_date_label("advice_requested_on"), required=False)
    draft_sent_on = GDSDateField(label=_plan_date_label("draft_sent_on"), required=False)
    draft_sent_by = forms.ChoiceField(
        label="How the draft plan was sent (optional)",
        required=False,
        choices=[("", "Not recorded")] + DELIVERY_METHODS,
    )
    draft_served_on = GDSDateField(
        label=_plan_date_label("draft_served_on"),
        required=False,
        help_text="The family's 15 days to comment start on the day they receive it, not the day it is sent. "
        "If you do not know the day, it is worked out from how it was sent",
    )
    final_issued_on = GDSDateField(label=_plan_date_label("final_issued_on"), required=False)
    time_limit_exception = forms.ChoiceField(
        label="Exception to the 20-week time limit (optional)",
        required=False,
        choices=[("", "None")] + Plan.TimeLimitException.choices,
        help_text="The LA's figures are reported with and without plans where an exception applied",
    )
    last_review_meeting_on = GDSDateField(label=_plan_date_label("last_review_meeting_on"), required=False)
    last_review_concluded_on = GDSDateField(
        label=_plan_date_label("last_review_concluded_on"),
        required=False,
        help_text="The next review must be concluded within 12 months starting with this day",
    )
    phase_transfer_on = GDSDateField(
        label="Date the pupil starts the next phase",
        required=False,
        help_text="For example, 1 9 2027 for a move to secondary school in September 2027",
    )
    phase_transfer_to_post16 = forms.BooleanField(
        label="The move is from secondary school to a post-16 institution, such as a college",
        required=False,
        help_text="A school sixth form counts as a school: leave this unticked for a move into one",
    )

    def clean_started_by(self) -> str:
        return self.cleaned_data["started_by"] or Plan.StartedBy.REQUEST

    def clean(self):
        data = super().clean()
        _add_plan_date_errors(self, data)
        return data


def _add_plan_date_errors(form: forms.Form, data: dict) -> None:
    # The rules live in the service, which applies them again when it saves.
    dates = {name: data.get(name) for name in Plan.DATE_FIELDS if name in form.fields}
    for name, message in services.plan_dates_validate(**dates).items():
        if name not in form.errors:  # a field's own error (e.g. "must be a real date") says what to fix
            form.add_error(name, message)


class SectionTextForm(GDSForm):
    """The text of section A, C, D, I or J, and whether the section is complete."""

    submit_label = "Save and continue"

    def __init__(self, *args, section: str, version, **kwargs):
        super().__init__(*args, **kwargs)
        completed = forms.ChoiceField(
            label="Have you completed this section?", choices=YES_NO, widget=forms.RadioSelect
        )
        completed.error_messages["required"] = "Select whether you have completed this section"
        for name in services.TEXT_SECTIONS[section]:
            if section == "I" and version.kind == "draft":
                continue  # left blank in a draft plan
            label = version._meta.get_field(name).verbose_name
            self.fields[name] = forms.CharField(
                label=label[0].upper() + label[1:], required=False, widget=forms.Textarea(attrs={"rows": 6})
            )
        self.fields["completed"] = completed


class SectionCompleteForm(GDSForm):
    submit_label = "Save"
    completed = forms.ChoiceField(
        label="Have you completed this section?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you have completed this section"},
    )


class NeedForm(GDSForm):
    submit_label = "Save need"
    area_of_need = forms.ChoiceField(
        label="Broad area of need", choices=AREAS_OF_NEED, widget=forms.RadioSelect,
        error_messages={"required": "Select the broad area of need"},
    )  # fmt: skip
    text = forms.CharField(
        label="Describe the need",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the child finds difficult, and what the assessment showed",
        error_messages={"required": "Describe the need"},
    )


def _choices(items, label) -> list[tuple[str, str]]:
    return [(str(item.public_id), label(number, item)) for number, item in enumerate(items, start=1)]


class OutcomeForm(GDSForm):
    submit_label = "Save outcome"
    text = forms.CharField(
        label="Outcome",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the child will be able to do, and how you will know: for example, 'will read 20 common words'",
        error_messages={"required": "Enter the outcome"},
    )
    timeframe = forms.CharField(
        label="By when",
        max_length=200,
        required=False,
        help_text="For example, by the end of Year 6 (July 2027)",
    )
    steps = forms.CharField(
        label="Steps towards the outcome (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs = forms.MultipleChoiceField(
        label="Which needs does this outcome address?", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = _choices(content.needs, lambda n, i: f"Need {n}: {i.text[:90]}")
        self.content = content

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["needs"] = [n for n in self.content.needs if str(n.public_id) in data["needs"]]
        return data


class ProvisionForm(GDSForm):
    submit_label = "Save provision"
    what = forms.CharField(
        label="What will be provided", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be provided"},
    )  # fmt: skip
    who = forms.CharField(
        label="Who delivers it",
        max_length=200,
        required=False,
        help_text="For example, speech and language therapist",
    )
    expertise = forms.CharField(label="Their expertise or qualification", max_length=200, required=False)
    frequency = forms.CharField(
        label="How often", max_length=200, required=False, help_text="For example, 3 times a week"
    )
    duration = forms.CharField(
        label="For how long",
        max_length=200,
        required=False,
        help_text="For example, 30 minutes a session, for the school year",
    )
    group_size = forms.CharField(
        label="Group size or ratio",
        max_length=100,
        required=False,
        help_text="For example, 1:1 or a group of 4",
    )
    start_date = GDSDateField(label="Start date", required=False)
    review_date = GDSDateField(label="Review date", required=False)
    responsible_body = forms.CharField(
        label="Responsible body",
        max_length=200,
        required=False,
        help_text="Who secures this provision, for example the integrated care board",
    )
    needs = forms.MultipleChoiceField(
        label="Which needs does it meet?", required=False, widget=forms.CheckboxSelectMultiple
    )
    outcomes = forms.MultipleChoiceField(
        label="Which outcomes does it help achieve?", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, content, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.content = content
        if section == "F":
            del self.fields["responsible_body"]
        self.fields["needs"].choices = _choices(content.needs, lambda n, i: f"Need {n}: {i.text[:90]}")
        self.fields["outcomes"].choices = _choices(
            content.outcomes, lambda n, i: f"Outcome {n}: {i.text[:90]}"
        )

    def clean(self):
        data = super().clean()
        start, review = data.get("start_date"), data.get("review_date")
        if start and review and review < start:
            self.add_error("review_date", "Review date must be on or after the start date")
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["needs"] = [n for n in self.content.needs if str(n.public_id) in data["needs"]]
        data["outcomes"] = [o for o in self.content.outcomes if str(o.public_id) in data["outcomes"]]
        return data


class AdviceForm(GDSForm):
    submit_label = "Save advice"
    source = forms.CharField(
        label="Source of advice", max_length=200, help_text="For example, educational psychologist's report"
    )
    author = forms.CharField(label="Author", max_length=200)
    date = GDSDateField(label="Date of the advice")


class ReturnForm(GDSForm):
    submit_label = "Return to the school"
    reason = forms.CharField(
        label="What should the school change?", widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the school should change"},
    )  # fmt: skip


class CommentForm(GDSForm):
    submit_label = "Add comment"
    section = forms.ChoiceField(
        label="Section (optional)",
        required=False,
        choices=[("", "The whole plan")] + [(c, f"{c}: {t}") for c, t in SECTIONS],
    )
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your comment"},
    )


class RegisterFilterForm(forms.Form):
    search = forms.CharField(label="Name", required=False, max_length=100)
    need = forms.ChoiceField(label="Need", required=False, choices=[("", "Any need")] + NEED_CHOICES)
    provision = forms.ChoiceField(
        label="SEN provision", required=False, choices=[("", "Any")] + SEN_PROVISION
    )
    year = forms.ChoiceField(label="Year group", required=False)

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any year")] + year_choices(school)


class NameSearchForm(forms.Form):
    search = forms.CharField(label="Name", required=False, max_length=100)


class CompareForm(forms.Form):
    old = forms.ChoiceField(label="Compare version")
    new = forms.ChoiceField(label="with version")

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (str(v.number), f"Version {v.number}: {v.get_kind_display()} ({v.get_status_display().lower()})")
            for v in versions
        ]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices


class PlanDocumentForm(GDSForm):
    """Ask for the plan as a PDF or a Word file, of the version chosen."""

    submit_label = "Prepare the document"
    format = forms.ChoiceField(
        label="Format",
        choices=[
            ("pdf", "PDF, to read, print or send (tagged for screen readers)"),
            ("docx", "Word, for the local authority to finalise"),
        ],
        widget=forms.RadioSelect,
        initial="pdf",
        error_messages={"required": "Select a format", "invalid_choice": "Select PDF or Word"},
    )
    version = forms.ChoiceField(
        label="Version",
        required=False,  # none chosen: the latest version
        error_messages={"invalid_choice": "Select a version of the plan"},
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [
            (str(v.number), f"Version {v.number}: {v.get_kind_display()} ({v.get_status_display().lower()})")
            for v in versions
        ]
        if versions:
            self.fields["version"].initial = str(versions[0].number)


class PupilDocumentForm(GDSForm):
    """Ask for one of a pupil's packs, as a PDF."""

    submit_label = "Prepare the pack"
    kind = forms.ChoiceField(
        label="Which pack?",
        choices=[
            Choice(
                "assessment_request",
                "EHC needs assessment request pack",
                hint="For the local authority's panel: the pupil's needs, each assess, plan, do, review cycle "
                "with what was tried and its effect, the school's ratings of its ordinarily available "
                "provision for the pupil's areas of need, advice received, and the views of the pupil and "
                "their parents.",
            ),
            Choice(
                "subject_access",
                "Subject access pack",
                hint="Everything the service holds about the pupil: the record, parents and carers, support "
                "cycles, every version of any EHC plan, and who has viewed or exported them.",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a pack", "invalid_choice": "Select a pack"},
    )
