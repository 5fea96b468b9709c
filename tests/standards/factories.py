"""Builders for framework versions: generated content of any size, and a second version of the shipped OAP."""

import copy
import itertools
from datetime import date
from pathlib import Path

from django.conf import settings

from standards.loader import (
    DEFAULT_SCALE,
    Continuation,
    CriterionData,
    FrameworkData,
    FrameworkFile,
    LevelData,
    ScaleData,
    SectionData,
    VersionData,
    parse_yaml,
)
from standards.models import FrameworkVersion
from standards.services import framework_version_load

SHIPPED = {
    "sendplan-oap": Path(settings.BASE_DIR) / "fixtures/frameworks/sendplan-oap/2026.yaml",
    "send-governance": Path(settings.BASE_DIR) / "fixtures/frameworks/send-governance/2026.yaml",
}
_counter = itertools.count(1)


def framework_data(
    *,
    criteria: int = 10,
    slug: str | None = None,
    publisher: str = "sendplan",
    la_code: str = "",
    label: str = "2026",
    status: str = "published",
    sections: int = 5,
    scale_from: int = 0,
) -> FrameworkFile:
    """Return a valid framework version with ``criteria`` criteria spread over ``sections`` sections.

    The four-level scale is numbered from ``scale_from``: 0 as shipped, or 1 as some LAs number theirs.
    """
    slug = slug or f"test-framework-{next(_counter)}"
    areas = ["", "communication_interaction", "cognition_learning", "semh", "sensory_physical"]
    out = []
    for s in range(sections):
        area = areas[s % len(areas)]
        out.append(
            SectionData(
                ref=f"S{s + 1}",
                title=f"Section {s + 1}: {'Whole school' if not area else area.replace('_', ' ')}",
                kind="area_of_need" if area else "whole_school",
                area_of_need=area,
                description="What this section covers.",
            )
        )
    for n in range(criteria):
        section = out[n % sections]
        statutory = n % 7 == 0
        section.criteria.append(
            CriterionData(
                ref=f"C-{n + 1:03d}",
                statement=f"Staff do observable thing number {n + 1} for pupils with SEND in every lesson.",
                guidance="Look for it in lessons and in plans. " * 3,
                evidence=["Lesson observation notes", "Pupil plans"],
                statutory=statutory,
                statutory_source="SEND Regulations 2014, reg 51" if statutory else "",
                area_of_need=section.area_of_need,
                tier="universal" if n % 3 == 0 else "",
            )
        )
    return FrameworkFile(
        framework=FrameworkData(slug=slug, title=f"Framework {slug}", publisher=publisher, la_code=la_code),
        version=VersionData(
            label=label, status=status, published_on=None if status == "draft" else date(2026, 9, 1)
        ),
        scale=_scale_from(scale_from),
        sections=out,
        source=f"{slug}.yaml",
    )


def _scale_from(first: int) -> ScaleData:
    scale = copy.deepcopy(DEFAULT_SCALE)
    scale.levels = [
        LevelData(first + step, level.label, level.descriptor) for step, level in enumerate(scale.levels)
    ]
    scale.met_value = first + 2  # Established, the third level, whatever the first is numbered
    return scale


def load_version(data: FrameworkFile, **kwargs) -> FrameworkVersion:
    return framework_version_load(by=None, data=data, **kwargs).version


def shipped_data(slug: str) -> FrameworkFile:
    data, problems = parse_yaml(SHIPPED[slug].read_bytes(), source=SHIPPED[slug].name)
    assert not problems, problems
    return data


def oap_2027(v1: FrameworkFile) -> FrameworkFile:
    """Return a 2027 version of the shipped OAP with one of each kind of change.

    LEAD-04 reworded; LEAD-05 split into LEAD-05A and LEAD-05B; IDENT-01 and IDENT-02 merged into
    IDENT-12; LEAD-09 retired; LEAD-10 new; every other criterion unchanged.
    """
    data = copy.deepcopy(v1)
    data.version = VersionData(
        label="2027", status="published", published_on=date(2027, 9, 1), previous="2026"
    )
    for section in data.sections:
        kept = []
        for c in section.criteria:
            if c.ref == "LEAD-04":
                c.statement = "The SENCO has protected time and administrative help that fit the size of the SEN register."
                c.continues = [Continuation("LEAD-04", "reworded")]
            elif c.ref == "LEAD-05":
                a, b = copy.deepcopy(c), copy.deepcopy(c)
                a.ref, b.ref = "LEAD-05A", "LEAD-05B"
                a.statement = "SEND is a priority in the school improvement plan."
                b.statement = "Each SEND action in the plan has a lead and a measure of success."
                a.continues = [Continuation("LEAD-05", "split")]
                b.continues = [Continuation("LEAD-05", "split")]
                kept.extend([a, b])
                continue
            elif c.ref == "LEAD-09":
                continue
            elif c.ref == "IDENT-01":
                c.ref = "IDENT-12"
                c.continues = [Continuation("IDENT-01", "merged"), Continuation("IDENT-02", "merged")]
            elif c.ref == "IDENT-02":
                continue
            else:
                c.continues = [Continuation(c.ref, "same")]
            kept.append(c)
        if section.ref == "LEAD":
            kept.append(
                CriterionData(
                    ref="LEAD-10",
                    statement="Leaders publish the school's inclusion strategy and review it each year.",
                    evidence=["Published inclusion strategy"],
                    continues=[],
                )
            )
        section.criteria = kept
    data.retired = ["LEAD-09"]
    return data


def load_shipped(slug: str) -> FrameworkVersion:
    """Load every shipped version of a framework in order, as the demo does; return the published one."""
    from standards.demo import shipped_files

    versions = [
        load_version(parse_yaml(path.read_bytes(), source=path.name)[0])
        for path in shipped_files()
        if path.parent.name == slug
    ]
    return next(v for v in reversed(versions) if v.status == FrameworkVersion.Status.PUBLISHED)
