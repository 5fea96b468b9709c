"""Which form each section of an EHC plan uses, and what its items are called (regs 12, CoP 9.61-9.69)."""

import pytest

from ehcp import forms, sections, selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("section", "form_class", "noun", "is_text"),
    [
        ("A", forms.SectionTextForm, "item", True),  # views, interests and aspirations
        ("B", forms.NeedForm, "need", False),
        ("C", forms.SectionTextForm, "item", True),
        ("D", forms.SectionTextForm, "item", True),
        ("E", forms.OutcomeForm, "outcome", False),
        ("F", forms.ProvisionForm, "provision", False),
        ("G", forms.ProvisionForm, "provision", False),
        ("H1", forms.ProvisionForm, "provision", False),
        ("H2", forms.ProvisionForm, "provision", False),
        ("I", forms.SectionTextForm, "item", True),
        ("J", forms.SectionTextForm, "item", True),
        ("K", forms.AdviceForm, "advice", False),
    ],
)
def test_each_section_has_its_form_and_noun(plan_a, section, form_class, noun, is_text):
    content = selectors.version_content(plan_a.versions.get())
    assert type(sections.form_for(section, content.version, content)) is form_class
    assert (sections.noun(section), sections.is_text(section)) == (noun, is_text)


def test_an_item_is_found_only_in_its_own_section(plan_a):
    version = plan_a.versions.get()
    need = version.needs.first()
    provision = version.provisions.first()
    assert sections.item_in(version, "B", need.public_id) == need
    assert sections.item_in(version, "E", need.public_id) is None
    assert sections.item_in(version, provision.section, provision.public_id) == provision
    other = "G" if provision.section != "G" else "F"
    assert sections.item_in(version, other, provision.public_id) is None
    assert sections.item_in(version, "A", need.public_id) is None
