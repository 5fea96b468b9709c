"""A session that cannot be saved because the database went away is an outage (500), not a bad request."""

from unittest import mock

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.db import OperationalError

from sendplan.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_lost_connection_while_saving_is_raised_as_itself():
    session = SessionStore()
    session["x"] = 1
    session.save()
    lost = OperationalError("server closed the connection")
    with mock.patch("django.db.models.Model.save", side_effect=lost), pytest.raises(OperationalError):
        session.save()


def test_a_session_deleted_meanwhile_is_still_an_update_error():
    session = SessionStore()
    session["x"] = 1
    session.save()
    SessionStore().delete(session.session_key)
    with pytest.raises(UpdateError):
        session.save()
