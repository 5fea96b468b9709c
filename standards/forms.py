"""Forms for the standards library: the criteria filter, the comparison picker and the LA upload."""

from collections.abc import Collection
from dataclasses import dataclass

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from sendplan.forms import ColumnChoiceForm, GDSForm
from sendplan.uploads import DamagedFile, ExpandsTooFar, UploadRejected, check_upload
from standards.loader import ScaleData
from standards.loader.spreadsheet import (
    IN_SENTENCE,
    MAPPED_FIELDS,
    MAPPED_REQUIRED,
    find_level,
    mapped_columns_problems,
    parse_levels,
)
from standards.models import AreaOfNeed

UPLOAD_KINDS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx"}


@dataclass
class UploadedFramework:
    name: str
    kind: str  # yaml, csv or xlsx
    content: bytes


def sniff_upload(upload, kinds: Collection[str] = ("yaml", "csv", "xlsx")) -> UploadedFramework:
    """Check an uploaded file's size and that its content matches its extension; raise ValidationError."""
    limit = settings.FRAMEWORK_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    kind = UPLOAD_KINDS.get(suffix)
    if kind is None or kind not in kinds:
        names = " or ".join(k.upper() for k in kinds).replace(" or ", ", ", len(kinds) - 2)
        article = "an" if names.startswith(("A", "E", "I", "O", "U", "X")) else "a"
        raise forms.ValidationError(f"The selected file must be {article} {names} file")
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise forms.ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
    if not content.strip():
        raise forms.ValidationError("The selected file is empty")
    if kind == "xlsx":
        # The same content checks as evidence files: a zip with the spreadsheet parts, and no zip bomb.
        try:
            check_upload(name, content, max_bytes=limit, allowed={"xlsx"})
        except ExpandsTooFar as exc:
            raise forms.ValidationError("The selected spreadsheet is too large once opened") from exc
        except DamagedFile as exc:
            raise forms.ValidationError(str(exc)) from exc
        except UploadRejected as exc:
            raise forms.ValidationError("The selected file is not an XLSX spreadsheet") from exc
    else:
        if b"\x00" in content or content.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(f"The selected file is not a {kind.upper()} text file")
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                f"The selected file must be saved as UTF-8 text (in Excel: 'CSV UTF-8'), not as {kind.upper()} in another encoding"
            ) from exc
    return UploadedFramework(name=name.rsplit("/", 1)[-1], kind=kind, content=content)


class FrameworkUploadForm(GDSForm):
    submit_label = "Upload and check"
    file = forms.FileField(
        label="Framework file",
        help_text="A YAML file, or a CSV or XLSX spreadsheet with the documented columns",
        error_messages={"required": "Select a framework file", "empty": "The selected file is empty"},
    )
    framework = forms.ChoiceField(label="Framework", required=False, widget=forms.RadioSelect)
    title = forms.CharField(
        label="Title of the new framework",
        required=False,
        max_length=200,
        help_text="For example, Ordinarily available provision",
    )
    label = forms.CharField(
        label="Version label", required=False, max_length=40, help_text="For example, 2027 or September 2027"
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [(str(f.public_id), f.title) for f in frameworks] + [
            ("new", "A new framework")
        ]
        self.helper.inputs = []
        self.helper.layout = Layout(
            Field("file"),
            Fieldset(
                Field.radios("framework", legend_size=Size.SMALL),
                Field.text("title"),
                Field.text("label", field_width=10),
                legend="For spreadsheets only",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", self.submit_label),
        )
        self.helper.form_tag = True
        self.uploaded: UploadedFramework | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.uploaded = sniff_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        if self.uploaded and self.uploaded.kind != "yaml":
            choice = data.get("framework")
            if not choice:
                self.add_error("framework", "Select the framework this spreadsheet is a version of")
            elif choice == "new" and not data.get("title"):
                self.add_error("title", "Enter the title of the new framework")
            if not data.get("label"):
                self.add_error("label", "Enter a version label, like 2027")
        return data


class CriteriaFilterForm(forms.Form):
    """The GET filter of the criteria list (rendered by hand: GOV.UK filter layout)."""

    q = forms.CharField(required=False, max_length=200)
    area = forms.ChoiceField(
        required=False, choices=[("", "All areas"), ("whole_school", "Whole school")] + AreaOfNeed.choices
    )
    statutory = forms.ChoiceField(
        required=False,
        choices=[("", "All criteria"), ("yes", "Statutory duties only"), ("no", "Not statutory")],
    )


# --- an LA's own spreadsheet ----------------------------------------------------------------------------


class SpreadsheetUploadForm(GDSForm):
    submit_label = "Upload and match the columns"
    file = forms.FileField(
        label="Upload your spreadsheet",
        help_text="An XLSX or CSV file with one row per criterion and headings in the first row",
        error_messages={"required": "Select an XLSX or CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.uploaded = sniff_upload(upload, kinds=("xlsx", "csv"))
        return upload


class SpreadsheetColumnsForm(ColumnChoiceForm):
    """Which column of the LA's spreadsheet holds each field of a criterion."""

    submit_label = "Save and continue"

    def field_labels(self) -> dict[str, str]:
        return MAPPED_FIELDS

    def required_fields(self) -> tuple[str, ...]:
        return MAPPED_REQUIRED

    def in_sentence(self, name: str) -> str:
        return IN_SENTENCE[name]

    def hint(self, name: str) -> str:
        return COLUMN_HINTS.get(name, "")

    def clean(self):
        data = super().clean()
        errors = mapped_columns_problems(self.headings, self.columns())
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def columns(self) -> dict[str, int]:
        return self.chosen(self.cleaned_data)


COLUMN_HINTS = {
    "section": "Where the area is written only on the first row of its group, the rows below it belong to it too",
    "evidence": "1 to 3 examples, one per line in the cell or separated by |",
    "ref": "If none is chosen, references are made from the order of the rows (S01-01, S01-02…)",
    "statutory": "Yes for a duty in law; blank or no otherwise. If none is chosen, no criterion is statutory",
    "statutory_guidance": "Yes where it rests on guidance schools must have regard to, such as the SEND Code of "
    "Practice; the law it comes from then names the guidance and paragraph",
    "tier": "Universal, Targeted or Specialist, or blank",
    "area_of_need": "Only if the area or section is not itself an area of need: Communication and interaction, "
    "Cognition and learning, Social, emotional and mental health, or Sensory and/or physical",
}


class SpreadsheetImportForm(GDSForm):
    """What the spreadsheet cannot say: the framework, the version and the rating scale."""

    submit_label = "Import as a draft"
    framework = forms.ChoiceField(
        label="Which framework is this a version of?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the framework this spreadsheet is a version of"},
    )
    title = forms.CharField(
        label="Title of the new framework",
        required=False,
        max_length=200,
        help_text="For example, Ordinarily available provision",
    )
    label = forms.CharField(
        label="Version label",
        max_length=40,
        help_text="For example, 2027 or September 2027",
        error_messages={"required": "Enter a version label, like 2027"},
    )
    levels = forms.CharField(
        label="Rating levels, lowest first",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text="One level on each line. Add what a level means after a colon, for example "
        "\u2018Amber \u2013 developing: in place in some classes\u2019. A new version of a framework keeps "
        "the scale of its last published version.",
        error_messages={
            "required": "Enter the rating levels, one on each line",
            "null_characters_not_allowed": "The rating levels must not contain a NUL character",
        },
    )
    met_level = forms.CharField(
        label="Level at which a statutory duty counts as met",
        max_length=60,
        help_text="The name of one of the levels above, but not the lowest, for example Green",
        error_messages={"required": "Enter the level at which a statutory duty counts as met"},
    )
    allow_not_applicable = forms.BooleanField(
        label="Schools may answer \u2018Not applicable\u2019 (never for a statutory duty)", required=False
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [(str(f.public_id), f.title) for f in frameworks] + [
            ("new", "A new framework")
        ]
        self.helper.layout = Layout(
            Fieldset(
                Field.radios("framework", legend_size=Size.MEDIUM),
                Field.text("title"),
                Field.text("label", field_width=10),
                legend="Framework and version",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("levels"),
                Field.text("met_level", field_width=20),
                Field.checkbox("allow_not_applicable"),
                legend="Rating scale",
                legend_size=Size.MEDIUM,
            ),
        )
        self.scale: ScaleData | None = None

    def clean(self):
        data = super().clean()
        if data.get("framework") == "new" and not data.get("title", "").strip():
            self.add_error("title", "Enter the title of the new framework")
        if "levels" in data:
            levels, error = parse_levels(data["levels"])
            if error:
                self.add_error("levels", error)
            elif "met_level" in data:
                met = find_level(levels, data["met_level"])
                if met is None:
                    names = ", ".join(level.label for level in levels)
                    self.add_error("met_level", f"Enter the name of one of the levels: {names}")
                elif met.value == levels[0].value:
                    self.add_error(
                        "met_level",
                        "The met level cannot be the lowest level: a duty below it must be possible",
                    )
                else:
                    self.scale = ScaleData(
                        allow_not_applicable=data.get("allow_not_applicable", False),
                        levels=levels,
                        met_value=met.value,
                    )
        return data


def scale_as_text(scale: ScaleData) -> str:
    """Return a scale as the levels field shows it: one level a line, with its meaning after a colon."""
    return "\n".join(
        level.label if level.descriptor == level.label else f"{level.label}: {level.descriptor}"
        for level in scale.levels
    )
