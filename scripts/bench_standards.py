"""Standards library: loading a 500-criterion framework file, and the browse page of a 150-criterion version.

Run through `make bench` (scripts/bench.py sets up Django and a throwaway database).
"""

import statistics
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from scripts.benchlib import Report, count_queries, timed_ms


def _generated(criteria: int, slug: str):
    from tests.standards.factories import framework_data

    return framework_data(criteria=criteria, sections=13, slug=slug)


def run(report: Report) -> None:
    from sendplan.models import LocalAuthority, Role, School
    from standards.loader import dump_yaml
    from standards.models import FrameworkVersion
    from tests.conftest import make_member, sign_in

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-500.yaml"
        path.write_text(dump_yaml(_generated(500, "bench-500")), encoding="utf-8")
        report.figure("YAML file of 500 criteria", round(path.stat().st_size / 1024), "KiB")
        start = time.perf_counter()
        call_command("load_framework", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
        report.figure(
            "load_framework, 500 criteria (check + write, first load)",
            (time.perf_counter() - start) * 1000,
            "ms",
        )
        start = time.perf_counter()
        call_command("load_framework", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
        report.figure(
            "load_framework again (unchanged, nothing written)", (time.perf_counter() - start) * 1000, "ms"
        )

    from standards.services import framework_version_load

    framework_version_load(by=None, data=_generated(150, "bench-150"))
    version = FrameworkVersion.objects.get(framework__slug="bench-150")
    la = LocalAuthority.objects.create(name="Bench LA", code="998")
    school = School.objects.create(name="Bench School", urn="998001", local_authority=la)
    client = sign_in(make_member(Role.SENCO, school=school, email="bench.standards.senco@example.org"))
    url = reverse("standards:version_detail", args=[version.public_id])

    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    samples = []
    get()
    for _ in range(15):
        start = time.perf_counter()
        get()
        samples.append((time.perf_counter() - start) * 1000)
    report.figure("version page, 150 criteria: median of 15 GETs", statistics.median(samples), "ms")
    report.figure("version page, 150 criteria: slowest of 15 GETs", max(samples), "ms")
    report.figure("version page, 150 criteria: SQL queries", count_queries(get), "queries")
    filtered = url + "?q=observable&statutory=yes"
    report.figure("version page, filtered: median", timed_ms(lambda: client.get(filtered), repeat=9), "ms")
