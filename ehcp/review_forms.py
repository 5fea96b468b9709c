"""GOV.UK forms for the annual review and for making a plan final. They feed ehcp.services.reviews."""

from datetime import date

from django import forms

from ehcp import deadlines
from ehcp.deadlines.service import DELIVERY_METHODS
from ehcp.forms import GDSDateField
from ehcp.models import AnnualReview, Outcome, OutcomeProgress, ReviewAttendee
from sendplan.forms import GDSForm


def _day(value: date) -> str:
    return deadlines.day_text(value)


class ReviewStartForm(GDSForm):
    submit_label = "Arrange the review"
    meeting_on = GDSDateField(label="Date of the review meeting")

    def __init__(self, *args, start: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_on"].help_text = (
            f"Hold it by {_day(deadlines.review_meeting_by(start))}, so the LA can decide before the review "
            f"must be concluded on {_day(deadlines.review_concluded_by(start))}. For example, "
            f"{start.day} {start.month} {start.year + 1}"
        )


class ReviewDatesForm(GDSForm):
    submit_label = "Save dates"
    meeting_on = GDSDateField(label="Date of the review meeting")
    invitations_sent_on = GDSDateField(label="Date the invitations were sent", required=False)
    advice_requested_on = GDSDateField(label="Date advice was asked for", required=False)
    advice_circulated_on = GDSDateField(label="Date advice was circulated", required=False)

    def __init__(self, *args, review: AnnualReview, **kwargs):
        super().__init__(*args, **kwargs)
        last_day = _day(deadlines.review_notice_due(review.meeting_on))
        self.fields["invitations_sent_on"].help_text = (
            f"Send them by {last_day}: at least two whole weeks before the meeting. A posted letter counts "
            "from the day it arrives, so email or post it earlier"
        )
        self.fields[
            "advice_circulated_on"
        ].help_text = f"Send everyone invited the advice and information gathered by {last_day}"


class AttendeeForm(GDSForm):
    submit_label = "Add to the invitation list"
    name = forms.CharField(label="Full name", max_length=150)
    role = forms.CharField(
        label="Role or relationship",
        max_length=150,
        help_text="For example, mother, class teacher, educational psychologist",
    )
    kind = forms.ChoiceField(
        label="Who are they?",
        choices=ReviewAttendee.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who they are"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        widget=forms.TextInput(attrs={"input_type": "email", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    advice_requested = forms.BooleanField(
        label="Ask them for advice and information before the meeting", required=False
    )


class MeetingForm(GDSForm):
    """The record of the meeting, with one progress question per outcome of the plan being reviewed."""

    submit_label = "Save the meeting record"
    held_on = GDSDateField(label="Date the meeting was held")
    attended = forms.MultipleChoiceField(
        label="Who came?", required=False, widget=forms.CheckboxSelectMultiple
    )
    child_views = forms.CharField(
        label="The child's or young person's views",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the child's or young person's views"},
    )
    parent_views = forms.CharField(
        label="The parents' views",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the parents' views"},
    )
    changes_needed = forms.CharField(
        label="What should change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Changes to needs, outcomes, provision or the school, and why",
    )
    recommendation = forms.ChoiceField(
        label="What does the meeting recommend to the LA?",
        choices=AnnualReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the meeting recommends"},
    )
    draft_changes = forms.BooleanField(
        label="Draft the changes as proposed amendments (a new version of the plan)",
        required=False,
        help_text="You can then change each section of the new version before you send the report",
    )

    def __init__(self, *args, attendees: list[ReviewAttendee], outcomes: list[Outcome], **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees, self.outcomes = attendees, outcomes
        self.fields["attended"].choices = [(str(a.public_id), f"{a.name} ({a.role})") for a in attendees]
        for number, outcome in enumerate(outcomes, start=1):
            self.fields[f"progress_{number}"] = forms.ChoiceField(
                label=f"Outcome {number}: {outcome.text[:120]}",
                choices=OutcomeProgress.Progress.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select the progress towards outcome {number}"},
            )
            self.fields[f"evidence_{number}"] = forms.CharField(
                label=f"What shows the progress towards outcome {number}? (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        # Keep the outcome questions together, before what should change.
        order = ["held_on", "attended", "child_views", "parent_views"]
        order += [name for n in range(1, len(outcomes) + 1) for name in (f"progress_{n}", f"evidence_{n}")]
        self.order_fields(order + ["changes_needed", "recommendation", "draft_changes"])

    def progress_rows(self) -> list[tuple[Outcome, forms.BoundField, forms.BoundField]]:
        return [
            (outcome, self[f"progress_{n}"], self[f"evidence_{n}"])
            for n, outcome in enumerate(self.outcomes, start=1)
        ]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "attended": [a for a in self.attendees if str(a.public_id) in data["attended"]],
            "child_views": data["child_views"],
            "parent_views": data["parent_views"],
            "changes_needed": data["changes_needed"],
            "recommendation": data["recommendation"],
            "draft_changes": data["draft_changes"],
            "progress": {
                outcome: (data[f"progress_{n}"], data[f"evidence_{n}"])
                for n, outcome in enumerate(self.outcomes, start=1)
            },
        }


class ReportForm(GDSForm):
    submit_label = "Record that the report was sent"
    sent_on = GDSDateField(label="Date the report was sent")

    def __init__(self, *args, review: AnnualReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].help_text = (
            f"Send it to the LA and everyone invited by {_day(deadlines.review_report_due(review.meeting_on))}, "
            "within two weeks of the meeting"
        )


class DecisionForm(GDSForm):
    submit_label = "Record the decision"
    decision = forms.ChoiceField(
        label="What has the LA decided?",
        choices=AnnualReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the LA's decision"},
    )
    sent_on = GDSDateField(label="Date the decision was sent to the family")
    sent_by = forms.ChoiceField(
        label="How was it sent? (optional)",
        required=False,
        choices=[("", "Not recorded")] + DELIVERY_METHODS,
        help_text="Used to work out the day the family received it, if you do not know that day",
    )
    served_on = GDSDateField(
        label="Date the family received it (optional)",
        required=False,
        help_text="Their 15 days to comment on proposed amendments start on this day",
    )
    reasons = forms.CharField(
        label="Reasons (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, review: AnnualReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].help_text = (
            f"Decide and tell the family by {_day(deadlines.la_review_decision_due(review.meeting_on))}, within "
            "four weeks of the meeting. If amending, send the proposed amendments with the decision"
        )


class FinaliseForm(GDSForm):
    submit_label = "Make the plan final"
    confirm = forms.BooleanField(
        label="I have checked the list above and want to make the plan final",
        error_messages={"required": "Confirm that you want to make the plan final with items missing"},
    )

    def __init__(self, *args, missing: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        if not missing:
            del self.fields["confirm"]
