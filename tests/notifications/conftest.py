"""Fixtures for notifications: every persona's user, and running what a transaction queued."""

import pytest
from django.core import mail


@pytest.fixture
def people(
    senco_a_user,
    headteacher_a_user,
    governor_a_user,
    senco_b_user,
    la_officer_x_user,
    la_admin_x_user,
    la_officer_y_user,
    la_admin_y_user,
):
    """Every persona, so a test sees that only the entitled ones hear of an event."""
    mail.outbox.clear()
    return {
        "senco_a": senco_a_user,
        "headteacher_a": headteacher_a_user,
        "governor_a": governor_a_user,
        "senco_b": senco_b_user,
        "la_officer_x": la_officer_x_user,
        "la_admin_x": la_admin_x_user,
        "la_officer_y": la_officer_y_user,
        "la_admin_y": la_admin_y_user,
    }


def recipients() -> list[str]:
    """Return who the emails sent so far went to, sorted (one address per email)."""
    return sorted(address for message in mail.outbox for address in message.to)
