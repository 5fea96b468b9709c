"""Query counts stay fixed as frameworks and LAs grow (N+1 regressions fail here)."""

import pytest
from django.urls import reverse

from audits.models import Audit, Rating
from tests.audits.factories import make_audit, make_version, submitted_audit
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

# Every page here includes 4 queries from the middleware (session, user, membership, MFA) and 3 to save
# the session (an UPDATE between a SAVEPOINT pair that exists only inside the test's transaction).
TASK_LIST, SECTION, SUMMARY, LA_LIST = 13, 14, 13, 10
# The whole audit on one page: 4 middleware + audit + scale + the rows with their counts + the section levels
# + 3 to save the session; the same however many criteria, evidence, actions and comments.
WHOLE_AUDIT = 10
# An autosave: 4 middleware + audit + response + row lock + UPDATE + event + session UPDATE = 10 in
# production; the test transaction adds 2 SAVEPOINT/RELEASE pairs (4 more). Keeping the audit's levels
# current (audits/levels.py) adds 3: read the audit's ratings once, delete and insert its level rows.
AUTOSAVE = 17


def _audit(world, user, sections, per_section, evidence=False):
    audit = make_audit(world.school_a, user, make_version(sections=sections, per_section=per_section))
    # rate half the criteria straight in the table: this test is about reads
    ids = list(audit.ratings.order_by("pk").values_list("pk", flat=True))
    Rating.objects.filter(pk__in=ids[::2]).update(level=2, rationale="Because")
    return audit


@pytest.mark.parametrize("sections,per_section", [(2, 5), (10, 15)])  # 10 and 150 criteria
def test_task_list_section_and_summary(
    senco_a, senco_a_user, world, sections, per_section, django_assert_max_num_queries
):
    audit = _audit(world, senco_a_user, sections, per_section)
    args = {"audit_id": audit.public_id}
    with django_assert_max_num_queries(TASK_LIST):
        assert senco_a.get(reverse("audits:audit_detail", kwargs=args)).status_code == 200
    with django_assert_max_num_queries(SECTION):
        assert senco_a.get(reverse("audits:section", kwargs={**args, "section_ref": "S1"})).status_code == 200
    with django_assert_max_num_queries(SUMMARY):
        assert senco_a.get(reverse("audits:audit_summary", kwargs=args)).status_code == 200


@pytest.mark.parametrize("count", [2, 30])
def test_la_list(la_officer_x, senco_a_user, world, count, django_assert_max_num_queries):
    version = make_version()
    for _ in range(count):
        school = SchoolFactory(local_authority=world.la_x)
        submitted_audit(school, senco_a_user, version)
    with django_assert_max_num_queries(LA_LIST):
        response = la_officer_x.get(reverse("audits:la_audit_list"))
    assert response.status_code == 200
    assert len(response.context["audits"]) == count
    assert Audit.objects.count() == count


@pytest.mark.parametrize("trigger", ["", "row-S1-02"])  # the section page's form, a whole-audit row
def test_one_autosave(senco_a, senco_a_user, world, trigger, django_assert_max_num_queries):
    audit = _audit(world, senco_a_user, 10, 15)
    address = reverse("audits:rating_save", kwargs={"audit_id": audit.public_id, "criterion_ref": "S1-02"})
    data = {"S1-02-level": "3", "S1-02-rationale": "Seen", "S1-02-na_reason": "", "S1-02-version": "0"}
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": trigger}
    senco_a.post(address, data, **headers)  # the first save warms the scale cache
    data.update({"S1-02-level": "2", "S1-02-version": "1"})
    with django_assert_max_num_queries(AUTOSAVE):
        response = senco_a.post(address, data, **headers)
    page = response.content.decode()
    assert response.status_code == 200 and "Saved" in page and 'id="level-S1"' in page


@pytest.mark.parametrize("sections,per_section", [(2, 5), (10, 15)])  # 10 and 150 criteria
def test_the_whole_audit_on_one_page(
    senco_a, senco_a_user, world, sections, per_section, django_assert_max_num_queries
):
    from audits import services
    from audits.models import LAComment
    from tests.audits.factories import acting

    audit = _audit(world, senco_a_user, sections, per_section)
    ratings = list(audit.ratings.select_related("criterion").order_by("pk"))
    for n, rating in enumerate(ratings[:10]):  # evidence, actions and LA comments on several rows
        services.evidence_add(
            audit=audit,
            title=f"Evidence {n}",
            criteria=[rating.criterion],
            by=acting(senco_a_user, audit.school),
            url=f"https://example.org/{n}",
        )
        LAComment.objects.create(school=audit.school, audit=audit, criterion=rating.criterion, text="Why?")
    address = reverse("audits:audit_rate", kwargs={"audit_id": audit.public_id})
    senco_a.get(address)  # warms the scale cache, as any earlier page of the audit does
    with django_assert_max_num_queries(WHOLE_AUDIT):
        response = senco_a.get(address)
    assert response.status_code == 200
    assert response.content.decode().count('class="app-rate__row') == sections * per_section
