"""Forms for the standards library: the criteria filter, the comparison picker and the LA upload."""

from dataclasses import dataclass

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from sendplan.forms import GDSForm
from sendplan.uploads import DamagedFile, ExpandsTooFar, UploadRejected, check_upload
from standards.models import AreaOfNeed

UPLOAD_KINDS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx"}


@dataclass
class UploadedFramework:
    name: str
    kind: str  # yaml, csv or xlsx
    content: bytes


def sniff_upload(upload) -> UploadedFramework:
    """Check an uploaded file's size and that its content matches its extension; raise ValidationError."""
    limit = settings.FRAMEWORK_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    kind = UPLOAD_KINDS.get(suffix)
    if kind is None:
        raise forms.ValidationError("The selected file must be a YAML, CSV or XLSX file")
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
