"""Sample values for URL keyword arguments, used by the URL-walking access test.

Each kwarg name maps to a function that, given the world (school A in LA X, school B in LA Y), returns
a value that points at a row owned by school A (or LA X) *in a state every entitled persona may see*
(for example an audit already submitted to LA X). Outsiders must then get 404.
Add an entry for every new kwarg name your URLs use; the walker fails on an unknown one.
"""

from collections.abc import Callable
from typing import Any

SAMPLES: dict[str, Callable[[Any], Any]] = {
    "school_id": lambda world: world.school_a.public_id,
    "membership_id": lambda world: _school_a_governor_membership(world).public_id,
    "report_id": lambda world: _school_a_report(world).public_id,
    "token": lambda world: "not-a-real-invitation-token",
    # Standards: a fresh published version of an LA X framework each time (an owner's POST may retire it).
    # Browse views are @access(shared=True): every member may read published versions; the LA-admin
    # views (review, publish, retire, delete) give LA Y's admin 404.
    "framework_id": lambda world: _la_x_published_version(world).framework.public_id,
    "version_id": lambda world: _la_x_published_version(world).public_id,
    "criterion_id": lambda world: _la_x_published_version(world).criteria.first().public_id,
}


def _la_x_published_version(world):
    from tests.standards.factories import framework_data, load_version

    data = framework_data(criteria=4, sections=2, publisher="local_authority", la_code=world.la_x.code)
    return load_version(data)


def _school_a_governor_membership(world):
    from sendplan.models import Role
    from tests.factories import MembershipFactory

    return MembershipFactory(role=Role.GOVERNOR, school=world.school_a)


def _school_a_report(world):
    from django.core.files.base import ContentFile

    from sendplan.models import Report

    report = Report(school=world.school_a, kind=Report.Kind.SCHOOL_OVERVIEW, status=Report.Status.READY)
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7 sample"), save=False)
    report.save()
    return report
