import pytest

from standards.models import (
    Criterion,
    CriterionMapping,
    Framework,
    FrameworkVersion,
    RatingScale,
    ScaleLevel,
    Section,
)

STANDARDS_MODELS = [
    Framework,
    FrameworkVersion,
    RatingScale,
    ScaleLevel,
    Section,
    Criterion,
    CriterionMapping,
]


def snapshot() -> dict:
    """Return every row of every standards table, to prove a failed load changed nothing."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in STANDARDS_MODELS}


@pytest.fixture
def unchanged_db(db):
    """Assert, at the end of the test, that the standards tables are exactly as at its start."""
    before = snapshot()
    yield before
    after = snapshot()
    assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in before.items()}
    assert after == before
