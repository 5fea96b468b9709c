"""Audits: section page, summary, whole-audit page and autosave times on a 150-criterion framework, and queries.

Server time is measured in-process with Django's test client (no network), median of 5 after a warm-up.
"""


def run(report) -> None:
    from django.urls import reverse

    from scripts.benchlib import count_queries, cpu_ms, timed_ms
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

    _whole_audit(report, client, school, senco)

    report.figure("one autosave (htmx POST, median)", timed_ms(autosave), "ms")
    report.figure("  the same, CPU time of the web process (median)", cpu_ms(autosave), "ms")
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


def _bench_audit(school, senco, sections: int, per_section: int, slug: str, evidence: int = 20):
    """Return an audit of a new framework, half its criteria rated, with ``evidence`` pieces of evidence."""
    from audits import services
    from audits.models import Rating
    from tests.audits.factories import acting, make_audit, make_version

    audit = make_audit(school, senco, make_version(sections=sections, per_section=per_section, slug=slug))
    ids = list(audit.ratings.order_by("pk").values_list("pk", flat=True))
    Rating.objects.filter(pk__in=ids[::2]).update(
        level=2, rationale="Seen in practice; see the provision map."
    )
    criteria = [r.criterion for r in audit.ratings.select_related("criterion").order_by("pk")]
    for n in range(evidence):
        services.evidence_add(
            audit=audit,
            title=f"Evidence {n + 1}",
            criteria=criteria[n * 3 : n * 3 + 2],
            by=acting(senco, school),
            url=f"https://example.org/evidence/{n + 1}",
        )
    return audit


def _whole_audit(report, client, school, senco) -> None:
    """Time the whole-audit page at 150 and 10 criteria; the difference is the cost of each criterion."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    from audits.models import Rating
    from scripts.benchlib import count_queries, cpu_ms, timed_ms

    big = _bench_audit(school, senco, 10, 15, "bench-whole-150")
    big_url = reverse("audits:audit_rate", kwargs={"audit_id": big.public_id})
    check = client.get(big_url)
    assert check.status_code == 200 and check.content.count(b'class="app-rate__row') == 150
    big_ms = timed_ms(lambda: client.get(big_url), repeat=9)
    report.figure("whole-audit page, 150 criteria, 20 evidence (median; target 60)", big_ms, "ms")
    big_cpu = cpu_ms(lambda: client.get(big_url), repeat=9)
    report.figure("  the same, CPU time of the web process (median)", big_cpu, "ms")
    report.figure(
        "queries for the whole-audit page, 150 criteria (target: at most 15)",
        count_queries(lambda: client.get(big_url)),
        "queries",
    )
    # The same shape with 10 criteria: the difference is the cost of 140 more criteria.
    small = _bench_audit(school, senco, 1, 10, "bench-whole-10")
    small_url = reverse("audits:audit_rate", kwargs={"audit_id": small.public_id})
    small_ms = timed_ms(lambda: client.get(small_url), repeat=9)
    small_cpu = cpu_ms(lambda: client.get(small_url), repeat=9)
    report.figure("whole-audit page, 10 criteria (median)", small_ms, "ms")
    report.figure(
        "whole-audit page, cost of each criterion ((150 − 10 criteria) / 140)",
        (big_ms - small_ms) / 140 * 1000,
        "µs",
    )
    report.figure("  the same in CPU time of the web process", (big_cpu - small_cpu) / 140 * 1000, "µs")
    # The rows' template alone, drawn as the page draws it (one loop, no include per row).
    response = client.get(big_url)
    rows = [row for group in response.context["groups"] for row in group["rows"]]
    context = {"rows": rows, "choices": response.context["choices"], "can_edit": True}
    template_cpu = cpu_ms(lambda: render_to_string("audits/partials/_rate_rows.html", context), repeat=9)
    report.figure("rows template alone, CPU time per criterion (150 rows)", template_cpu / 150 * 1000, "µs")

    # One autosave from a row of the whole-audit page (row fragments and the section's live level).
    save_url = reverse("audits:rating_save", kwargs={"audit_id": big.public_id, "criterion_ref": "S2-03"})
    state = {"level": 0}

    def row_autosave():
        version = Rating.objects.get(audit=big, criterion__ref="S2-03").version
        state["level"] = (state["level"] + 1) % 4
        data = {
            "S2-03-level": str(state["level"]),
            "S2-03-rationale": f"Row autosave {state['level']}",
            "S2-03-na_reason": "",
            "S2-03-version": str(version),
        }
        result = client.post(save_url, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="row-S2-03")
        assert result.status_code == 200 and b"Saved" in result.content, result.content[:300]

    report.figure("one autosave from a whole-audit row (median; target 20)", timed_ms(row_autosave), "ms")
    report.figure("  the same, CPU time of the web process (median)", cpu_ms(row_autosave), "ms")
    statements = _statements(row_autosave)
    report.figure(
        "queries per row autosave without BEGIN/COMMIT (target: at most 10)",
        sum(1 for sql in statements if sql.split()[0].upper() not in TRANSACTION_CONTROL) - 1,
        "queries",
    )
