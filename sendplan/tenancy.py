"""How rows belong to organisations: the kinds of rows a rule can grant, and each model's declaration.

Every model a person reaches through a URL declares ``tenancy = Tenancy(...)``: the lookup to its owning
school (or LA), and which of its rows count as handed to the LA, shared with governors or published. A row
addressed to one person (a notification, their email preference) names that person instead (``user``).
``sendplan.policy.restrict`` turns a rule's rows into a filter with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from sendplan.models import Membership


class Rows(StrEnum):
    """Which rows a role may take an action on."""

    OWN = "rows of their own school or LA"
    SHARED_WITH_GOVERNORS = "their school's rows that are shared with governors"
    LA_SCHOOLS = "rows of the schools in their LA"
    HANDED_TO_LA = "rows of the schools in their LA, once the school has handed them to the LA"
    PUBLISHED = "published rows, whoever published them"
    PERSONAL = "rows addressed to them, whichever organisation they act for"


# --- rows --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tenancy:
    """How a model's rows belong to organisations: declared once on each model as ``tenancy``."""

    school: str | None = "school"  # lookup to the owning school ("pk" on School itself)
    local_authority: str | None = None  # lookup to an owning LA, for rows an LA owns
    handed_to_la: Callable[[], Q] | None = None  # the rows a school has handed to its LA
    shared_with_governors: Callable[[], Q] | None = None
    published: Callable[[], Q] | None = None
    user: str | None = None  # lookup to the one person a row is addressed to (PERSONAL rows)

    def q(self, rows: Rows, membership: Membership) -> Q | None:
        """Return the filter for one kind of rows, or None if this model has no such rows."""
        if rows is Rows.OWN:
            if membership.school_id is not None and self.school:
                return Q(**{_id(self.school): membership.school_id})
            if membership.local_authority_id is not None and self.local_authority:
                return Q(**{_id(self.local_authority): membership.local_authority_id})
            return None
        if rows is Rows.SHARED_WITH_GOVERNORS:
            own = self.q(Rows.OWN, membership)
            return own & self.shared_with_governors() if own and self.shared_with_governors else None
        if rows in (Rows.LA_SCHOOLS, Rows.HANDED_TO_LA):
            if membership.local_authority_id is None or not self.school:
                return None
            path = "local_authority_id" if self.school == "pk" else f"{self.school}__local_authority_id"
            q = Q(**{path: membership.local_authority_id})
            if rows is Rows.HANDED_TO_LA:
                return q & self.handed_to_la() if self.handed_to_la else None
            return q
        if rows is Rows.PUBLISHED:
            return self.published() if self.published else None
        if rows is Rows.PERSONAL:
            # Only the person themself, never their colleagues: the membership's user, not its organisation.
            return Q(**{_id(self.user): membership.user_id}) if self.user else None
        raise ValueError(rows)


def _id(lookup: str) -> str:
    return lookup if lookup == "pk" or lookup.endswith("_id") else f"{lookup}_id"
