"""Audits: section page, summary and autosave times on a 150-criterion framework, and queries per autosave.

Server time is measured in-process with Django's test client (no network), median of 5 after a warm-up.
"""


def run(report) -> None:
    from django.urls import reverse

    from scripts.benchlib import count_queries, timed_ms
    from sendplan.models import Role
    from tests.audits.factories import make_audit, make_version
    from tests.conftest import make_member, sign_in
    from tests.factories import LocalAuthorityFactory, SchoolFactory

    la = LocalAuthorityFactory(name="Bench LA", code="990")
    school = SchoolFactory(name="Bench School", local_authority=la)
    senco = make_member(Role.SENCO, school=school, email="bench.audits.senco@example.org")
    version = make_version(sections=10, per_section=15, slug="bench-audits")  # 150 criteria
    audit = make_audit(school, senco, version)
    from audits.models import Rating

    ids = list(audit.ratings.order_by("pk").values_list("pk", flat=True))
    Rating.objects.filter(pk__in=ids[::2]).update(
        level=2, rationale="Seen in practice; see the provision map."
    )
    client = sign_in(senco)
    section_url = reverse("audits:section", kwargs={"audit_id": audit.public_id, "section_ref": "S1"})
    summary_url = reverse("audits:audit_summary", kwargs={"audit_id": audit.public_id})
    task_url = reverse("audits:audit_detail", kwargs={"audit_id": audit.public_id})
    save_url = reverse("audits:rating_save", kwargs={"audit_id": audit.public_id, "criterion_ref": "S1-02"})

    report.figure("task list, 150 criteria (median)", timed_ms(lambda: client.get(task_url)), "ms")
    report.figure(
        "section page, 15 criteria of 150 (median)", timed_ms(lambda: client.get(section_url)), "ms"
    )
    report.figure("summary page, 150 criteria (median)", timed_ms(lambda: client.get(summary_url)), "ms")

    state = {"level": 0}

    def autosave():
        response = Rating.objects.get(audit=audit, criterion__ref="S1-02")
        state["level"] = (state["level"] + 1) % 4
        data = {
            "S1-02-level": str(state["level"]),
            "S1-02-rationale": f"Autosave {state['level']}",
            "S1-02-na_reason": "",
            "S1-02-version": str(response.version),
        }
        result = client.post(save_url, data, HTTP_HX_REQUEST="true")
        assert result.status_code == 200 and b"Saved" in result.content, result.content[:300]

    report.figure("one autosave (htmx POST, median)", timed_ms(autosave), "ms")
    # Both counts leave out the one query autosave() itself makes to read the current version.
    statements = _statements(autosave)
    report.figure("queries per autosave, all statements", count_queries(autosave) - 1, "queries")
    report.figure(
        "queries per autosave without BEGIN/COMMIT (target: at most 10)",
        sum(1 for sql in statements if sql.split()[0].upper() not in TRANSACTION_CONTROL) - 1,
        "queries",
    )


TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def _statements(func) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        func()
    return [query["sql"] for query in ctx.captured_queries]
