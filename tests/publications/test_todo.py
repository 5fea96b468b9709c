"""A published document's yearly review joins the school's "what needs doing" list on the home page."""

import datetime

import pytest
from django.utils import timezone

from publications.models import Publication
from tests.publications.factories import published_strategy

pytestmark = pytest.mark.django_db


def test_a_review_due_within_60_days_is_on_the_home_page_and_one_later_is_not(senco_a, senco_a_user, world):
    soon = published_strategy(world.school_a, senco_a_user)
    Publication.objects.filter(pk=soon.pk).update(
        review_date=timezone.localdate() + datetime.timedelta(days=45)
    )
    assert f"Review and republish {soon.title}" in senco_a.get("/").content.decode()
    Publication.objects.filter(pk=soon.pk).update(
        review_date=timezone.localdate() + datetime.timedelta(days=90)
    )
    assert "Review and republish" not in senco_a.get("/").content.decode()


def test_an_overdue_review_is_on_the_list_but_governors_are_not_asked_to_do_it(
    senco_a, governor_a, senco_a_user, world
):
    late = published_strategy(world.school_a, senco_a_user)
    Publication.objects.filter(pk=late.pk).update(
        review_date=timezone.localdate() - datetime.timedelta(days=30)
    )
    assert f"Review and republish {late.title}" in senco_a.get("/").content.decode()
    assert "Review and republish" not in governor_a.get("/").content.decode()
