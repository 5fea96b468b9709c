"""The demo loads every shipped framework, and loading it again changes nothing."""

import pytest

from sendplan import demo
from standards.models import FrameworkVersion
from tests.standards.conftest import snapshot

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_shipped_frameworks_once():
    demo.seed()
    loaded = {
        (v.framework.slug, v.label, v.status) for v in FrameworkVersion.objects.select_related("framework")
    }
    assert loaded == {
        ("sendplan-oap", "2026", "published"),
        ("send-governance", "2026", "published"),
        ("inclusion-principles", "2026", "published"),
    }
    before = snapshot()
    demo.seed()
    assert snapshot() == before
