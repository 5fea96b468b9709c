"""Write a framework version back out: stored rows to plain data, plain data to YAML."""

from __future__ import annotations

import yaml

from standards.loader.data import (
    Continuation,
    CriterionData,
    FrameworkData,
    FrameworkFile,
    LevelData,
    ScaleData,
    SectionData,
    VersionData,
)
from standards.models import CriterionMapping, FrameworkVersion

# --- export -----------------------------------------------------------------------------------------------


def data_to_tree(data: FrameworkFile) -> dict:
    """Return the YAML-ready structure of a framework version, in the documented key order."""

    def section_tree(section: SectionData, inherited_area: str) -> dict:
        area = section.area_of_need or inherited_area
        out: dict = {
            "ref": section.ref,
            "title": section.title,
            "kind": section.kind,
            "area_of_need": section.area_of_need or None,
        }
        if section.description:
            out["description"] = section.description
        if section.criteria:
            out["criteria"] = [criterion_tree(c, area) for c in section.criteria]
        if section.sections:
            out["sections"] = [section_tree(s, area) for s in section.sections]
        return out

    def criterion_tree(c: CriterionData, section_area: str) -> dict:
        out: dict = {"ref": c.ref, "statement": c.statement}
        if c.guidance:
            out["guidance"] = c.guidance
        out["evidence"] = list(c.evidence)
        out["statutory"] = c.statutory
        if c.statutory_guidance:
            out["statutory_guidance"] = True
        if c.statutory or c.statutory_guidance:
            out["statutory_source"] = c.statutory_source
        if c.area_of_need != section_area:
            out["area_of_need"] = c.area_of_need or None
        out["tier"] = c.tier or None
        if c.continues:
            out["continues"] = [{"ref": x.ref, "change": x.change} for x in c.continues]
        return out

    tree: dict = {
        "framework": {
            "slug": data.framework.slug,
            "title": data.framework.title,
            "publisher": data.framework.publisher,
            "la_code": data.framework.la_code or None,
            "description": data.framework.description,
            "rated_by": data.framework.rated_by,
        },
        "version": {
            "label": data.version.label,
            "status": data.version.status,
            "published_on": data.version.published_on,
            "previous": data.version.previous or None,
            "notes": data.version.notes,
        },
        "scale": {
            "allow_not_applicable": data.scale.allow_not_applicable,
            "met_value": data.scale.met_value,
            "levels": [
                {"value": lv.value, "label": lv.label, "descriptor": lv.descriptor}
                for lv in data.scale.levels
            ],
        },
        "sections": [section_tree(s, "") for s in data.sections],
    }
    if data.retired:
        tree["retired"] = list(data.retired)
    return tree


class _Dumper(yaml.SafeDumper):
    """Write long text folded, as people write these files by hand."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = (
        ">"
        if len(value) > 70 and "\n" not in value and value == value.strip() and "  " not in value
        else None
    )
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: FrameworkFile) -> str:
    """Return the framework version as YAML text in the documented format."""
    return yaml.dump(data_to_tree(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def version_to_data(version: FrameworkVersion) -> FrameworkFile:
    """Read a stored version back into plain data (three queries beyond the version itself)."""
    framework = version.framework
    levels = [LevelData(lv.value, lv.label, lv.descriptor) for lv in version.scale.levels.order_by("value")]
    by_id: dict[int, SectionData] = {}
    roots: list[SectionData] = []
    for s in version.sections.order_by("position"):
        section = SectionData(
            ref=s.ref, title=s.title, kind=s.kind, area_of_need=s.area_of_need, description=s.description
        )
        by_id[s.pk] = section
        (by_id[s.parent_id].sections if s.parent_id else roots).append(section)
    continues: dict[str, list[Continuation]] = {}
    retired: list[str] = []
    for m in version.mappings.order_by("pk"):
        if m.change == CriterionMapping.Change.RETIRED:
            retired.append(m.from_ref)
        elif m.change != CriterionMapping.Change.NEW:
            continues.setdefault(m.to_ref, []).append(Continuation(m.from_ref, m.change))
    for c in version.criteria.order_by("position"):
        by_id[c.section_id].criteria.append(
            CriterionData(
                ref=c.ref,
                statement=c.statement,
                guidance=c.guidance,
                evidence=list(c.evidence_examples),
                statutory=c.statutory,
                statutory_guidance=c.statutory_guidance,
                statutory_source=c.statutory_source,
                area_of_need=c.area_of_need,
                tier=c.tier,
                continues=continues.get(c.ref, []),
            )
        )
    return FrameworkFile(
        framework=FrameworkData(
            slug=framework.slug,
            title=framework.title,
            publisher=framework.publisher,
            la_code=framework.local_authority.code if framework.local_authority_id else "",
            description=framework.description,
            rated_by=framework.rated_by,
        ),
        version=VersionData(
            label=version.label,
            status=version.status,
            published_on=version.published_on,
            previous=version.previous.label if version.previous_id else "",
            notes=version.notes,
        ),
        scale=ScaleData(
            allow_not_applicable=version.scale.allow_not_applicable,
            levels=levels,
            met_value=version.scale.met_value,
        ),
        sections=roots,
        retired=retired,
        source=f"{framework.slug}/{version.label}.yaml",
    )
