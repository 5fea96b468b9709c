"""EHC plans: the SEN register with 200 pupils and a plan's task list, timed in-process.

Server time only (Django test client, no network); queries counted once per page.
"""

from datetime import date


def run(report) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.urls import reverse

    from ehcp import services
    from ehcp.models import Plan, PlanVersion, Pupil
    from scripts.benchlib import count_queries, timed_ms
    from sendplan.models import LocalAuthority, Membership, Role, School, User
    from tests.conftest import sign_in

    la = LocalAuthority.objects.create(name="Bench LA", code="991")
    school = School.objects.create(
        local_authority=la, urn="991001", name="Bench Primary", phase="primary", school_type="community"
    )
    user = User.objects.create_user("bench.ehcp.senco@example.org", "x")
    membership = Membership.objects.create(user=user, school=school, role=Role.SENCO)
    needs = ["ASD", "SLCN", "SEMH", "SPLD", "MLD", "HI"]
    Pupil.objects.bulk_create(
        Pupil(
            school=school, first_name=f"Pupil{i}", last_name=f"Surname{i:03d}", date_of_birth=date(2016, 1, 1 + i % 28),
            year_group=str(1 + i % 6), sen_provision="E" if i % 5 == 0 else "K", primary_need=needs[i % len(needs)],
        )
        for i in range(200)
    )  # fmt: skip
    for pupil in Pupil.objects.filter(school=school, sen_provision="E"):
        plan = Plan.objects.create(school=school, pupil=pupil, requested_on=date(2026, 1, 5))
        PlanVersion.objects.create(school=school, plan=plan, number=1)
    plan = Plan.objects.filter(school=school).first()
    version = plan.versions.get()
    for i in range(10):
        need = services.need_save(version=version, by=membership, area_of_need="semh", text=f"Need {i}")
        outcome = services.outcome_save(
            version=version, by=membership, text=f"Will do {i} things", timeframe="", steps="", needs=[need]
        )
        services.provision_save(
            version=version,
            by=membership,
            section="F",
            needs=[need],
            outcomes=[outcome],
            what=f"Therapy {i} as required",
            who="SLT",
        )
    TOTP.activate(user, generate_totp_secret())  # school staff must have MFA, or every page redirects
    client = sign_in(user)
    assert membership  # the client acts for this membership
    for label, url in (
        ("SEN register, 200 pupils (first page of 50)", reverse("ehcp:register")),
        (
            "Plan task list, 10 needs, outcomes and provision",
            reverse("ehcp:plan_detail", args=[plan.public_id]),
        ),
        ("Section F page, 10 provision items", reverse("ehcp:section_detail", args=[plan.public_id, "F"])),
    ):
        status = client.get(url).status_code
        assert status == 200, f"{url} answered {status}"
        report.figure(f"{label}: server time", timed_ms(lambda url=url: client.get(url), repeat=10), "ms")
        report.figure(f"{label}: queries", count_queries(lambda url=url: client.get(url)), "queries")
