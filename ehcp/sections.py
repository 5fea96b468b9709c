"""What each section of an EHC plan holds, and which form and service handle it.

Sections A, C, D, I and J are text (``services.TEXT_SECTIONS``); B lists needs, E outcomes, F, G, H1 and
H2 provision, and K the advice gathered. The views only route: they ask here for a section's form, hand
a valid form back to be saved, and look items up by section.
"""

from django import forms as django_forms

from ehcp import forms, services
from ehcp.models import PROVISION_SECTIONS, Advice, Need, Outcome, PlanVersion, Provision
from sendplan.models import Membership

ITEM_NOUNS = {"B": "need", "E": "outcome", "K": "advice"} | {s: "provision" for s in PROVISION_SECTIONS}
ITEM_MODELS = {"B": Need, "E": Outcome, "K": Advice} | {s: Provision for s in PROVISION_SECTIONS}


def is_text(section: str) -> bool:
    """Return True for a section of text (A, C, D, I, J) rather than a list of items."""
    return section in services.TEXT_SECTIONS


def noun(section: str) -> str:
    """Return what one item of the section is called ("need", "outcome", "provision", "advice")."""
    return ITEM_NOUNS.get(section, "item")


def item_in(version: PlanVersion, section: str, item_id) -> Need | Outcome | Provision | Advice | None:
    """Return the version's item in the section with this public id, or None."""
    model = ITEM_MODELS.get(section)
    if model is None:
        return None
    items = model.objects.filter(version=version, public_id=item_id)
    if model is Provision:
        items = items.filter(section=section)
    return items.first()


def form_for(section: str, version: PlanVersion, content, data=None, item=None) -> django_forms.Form:
    """Return the form that adds an item to the section, edits ``item``, or edits the section's text."""
    if is_text(section):
        initial = {name: getattr(version, name) for name in services.TEXT_SECTIONS[section]}
        initial["completed"] = "yes" if section in version.completed_sections else None
        return forms.SectionTextForm(data, section=section, version=version, initial=initial)
    if section == "B":
        initial = {"area_of_need": item.area_of_need, "text": item.text} if item else None
        return forms.NeedForm(data, initial=initial)
    if section == "E":
        initial = (
            {
                "text": item.text,
                "timeframe": item.timeframe,
                "steps": item.steps,
                "needs": [str(n.public_id) for n in item.needs.all()],
            }
            if item
            else None
        )
        return forms.OutcomeForm(data, content=content, initial=initial)
    if section in PROVISION_SECTIONS:
        initial = None
        if item:
            initial = {name: getattr(item, name) for name in services.PROVISION_FIELDS}
            initial["needs"] = [str(n.public_id) for n in item.needs.all()]
            initial["outcomes"] = [str(o.public_id) for o in item.outcomes.all()]
        return forms.ProvisionForm(data, content=content, section=section, initial=initial)
    initial = {"source": item.source, "author": item.author, "date": item.date} if item else None
    return forms.AdviceForm(data, initial=initial)


def save(section: str, version: PlanVersion, form: django_forms.Form, by: Membership, item=None) -> None:
    """Save a valid section form through the section's service; a refusal raises DomainError."""
    data = form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)
    if is_text(section):
        completed = data.pop("completed") == "yes"
        services.section_text_update(version=version, by=by, section=section, **data)
        services.section_mark(version=version, by=by, section=section, completed=completed)
    elif section == "B":
        services.need_save(version=version, by=by, need=item, **data)
    elif section == "E":
        services.outcome_save(version=version, by=by, outcome=item, **data)
    elif section in PROVISION_SECTIONS:
        services.provision_save(version=version, by=by, section=section, provision=item, **data)
    else:
        services.advice_save(version=version, by=by, advice=item, **data)
