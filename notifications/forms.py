"""The form a person chooses how they are emailed with."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from notifications.models import Preference
from sendplan.forms import GDSForm


class PreferenceForm(GDSForm):
    submit_label = "Save"
    email = forms.ChoiceField(
        label="How do you want to be emailed about what happens in sendplan?",
        choices=Preference.Email.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Everything also appears in your notifications in sendplan. Reminders of statutory deadlines "
            "are always emailed straight away, whatever you choose."
        ),
        error_messages={
            "required": "Select how you want to be emailed",
            "invalid_choice": "Select how you want to be emailed",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("email", legend_size=Size.LARGE, legend_tag="h1"))
