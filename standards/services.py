"""Writes for frameworks: load a checked framework file, publish and retire versions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sendplan import policy
from sendplan.models import LocalAuthority, Membership
from sendplan.services import DomainError
from standards.loader import FrameworkData, FrameworkFile, Problem, SpreadsheetMeta, version_to_data
from standards.loader.spreadsheet import (
    MAPPED_FIELDS,
    SheetUnreadable,
    guess_columns,
    mapped_columns_problems,
    parse_mapped,
    read_sheet,
    sheet_headings,
)
from standards.models import (
    Criterion,
    CriterionMapping,
    Framework,
    FrameworkUpload,
    FrameworkVersion,
    RatingScale,
    ScaleLevel,
    Section,
)


class FrameworkInvalid(DomainError):
    """The framework file cannot be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class FrameworkVersionLocked(DomainError):
    """The version is not in a state that allows the change."""


@dataclass
class LoadResult:
    """What loading a file did (or, in a dry run, would do)."""

    outcome: str  # "created", "updated", "unchanged"
    version: FrameworkVersion | None
    data: FrameworkFile
    dry_run: bool = False

    @property
    def criteria_count(self) -> int:
        return len(self.data.criteria())

    def describe(self) -> str:
        verb = (
            {"created": "would create", "updated": "would update"}.get(self.outcome, self.outcome)
            if self.dry_run
            else self.outcome
        )
        return (
            f"{self.data.framework.slug} {self.data.version.label} ({self.data.version.status}): {verb}, "
            f"{self.criteria_count} criteria"
        )


def _without_lifecycle(data: FrameworkFile) -> FrameworkFile:
    """Return the data with status and publication date cleared, to compare content alone."""
    return replace(data, version=replace(data.version, status="", published_on=None))


def framework_file_check(*, data: FrameworkFile, owner: LocalAuthority | None = None) -> list[Problem]:
    """Return every problem with loading ``data`` into the database as it stands (nothing is written)."""
    problems: list[Problem] = []
    fw, ver = data.framework, data.version
    framework = Framework.objects.select_related("local_authority").filter(slug=fw.slug).first()
    la = None
    if fw.la_code:
        la = LocalAuthority.objects.filter(code=fw.la_code).first()
        if la is None:
            problems.append(
                data.problem(fw.line, "framework", f"there is no local authority with the code {fw.la_code}")
            )
    if owner is not None and (
        fw.publisher != Framework.Publisher.LOCAL_AUTHORITY or fw.la_code != owner.code
    ):
        problems.append(
            data.problem(
                fw.line,
                "framework",
                f"you can upload only your local authority's frameworks: set publisher: local_authority and la_code: {owner.code}",
            )
        )
        return problems
    if framework is not None:
        owner_code = framework.local_authority.code if framework.local_authority_id else ""
        if framework.publisher != fw.publisher or owner_code != fw.la_code:
            problems.append(
                data.problem(
                    fw.line,
                    "framework",
                    f"a framework with the slug '{fw.slug}' already exists with another publisher; choose another slug",
                )
            )
            return problems

    existing = framework.versions.filter(label=ver.label).first() if framework else None
    if existing is not None and existing.status != FrameworkVersion.Status.DRAFT:
        stored = version_to_data(existing)
        if _without_lifecycle(stored) != _without_lifecycle(data):
            problems.append(
                data.problem(
                    ver.line,
                    "version",
                    f"version {ver.label} of {fw.slug} is {existing.get_status_display().lower()} and cannot change; "
                    f'publish a new version with a new label and previous: "{ver.label}"',
                )
            )
            return problems

    if ver.previous:
        previous = framework.versions.filter(label=ver.previous).first() if framework else None
        if previous is None:
            problems.append(
                data.problem(
                    ver.line,
                    "version",
                    f"the previous version '{ver.previous}' of {fw.slug} has not been loaded",
                )
            )
            return problems
        if previous.status == FrameworkVersion.Status.DRAFT:
            problems.append(
                data.problem(
                    ver.line,
                    "version",
                    f"the previous version '{ver.previous}' is still a draft; publish it first",
                )
            )
        old_refs = set(previous.criteria.values_list("ref", flat=True))
        continued: set[str] = set()
        for criterion, _ in data.criteria():
            for cont in criterion.continues:
                continued.add(cont.ref)
                if cont.ref not in old_refs:
                    problems.append(
                        data.problem(
                            criterion.line,
                            f"criterion {criterion.ref}",
                            f"continues '{cont.ref}', which is not a criterion of version {ver.previous}",
                        )
                    )
            if not criterion.continues and criterion.ref in old_refs:
                problems.append(
                    data.problem(
                        criterion.line,
                        f"criterion {criterion.ref}",
                        f"'{criterion.ref}' is a criterion of version {ver.previous}: add continues: "
                        f"[{{ref: {criterion.ref}, change: same}}] (or reworded), or choose a new ref",
                    )
                )
        for ref in data.retired:
            if ref not in old_refs:
                problems.append(
                    data.problem(
                        data.retired_line, "retired", f"'{ref}' is not a criterion of version {ver.previous}"
                    )
                )
        forgotten = sorted(old_refs - continued - set(data.retired))
        if forgotten:
            problems.append(
                data.problem(
                    data.retired_line or ver.line,
                    "retired",
                    f"criteria of version {ver.previous} neither continued nor retired: {', '.join(forgotten)}",
                )
            )
    return problems


@transaction.atomic
def framework_version_load(
    *,
    data: FrameworkFile,
    by: Membership | None,
    dry_run: bool = False,
    owner: LocalAuthority | None = None,
    as_draft: bool = False,
) -> LoadResult:
    """Write a checked framework version in one transaction; refuse to change a published one.

    Loading the same content again writes nothing ("unchanged"). A draft of the same label is replaced.
    ``owner`` limits the load to that LA's frameworks; ``as_draft`` loads the version as a draft
    whatever the file says (uploads in the browser are published separately). ``by`` is None only for
    an operator's command (load_framework); a person's upload is checked against the policy.
    """
    if by is not None:
        policy.check(by, "framework_upload")
        if owner is None or owner.pk != by.local_authority_id:
            raise policy.NotAllowed("You can upload frameworks only for your own local authority.")
    if as_draft:
        data = replace(
            data, version=replace(data.version, status=FrameworkVersion.Status.DRAFT, published_on=None)
        )
    problems = framework_file_check(data=data, owner=owner)
    if problems:
        raise FrameworkInvalid(problems)
    fw, ver = data.framework, data.version
    framework = Framework.objects.select_for_update().filter(slug=fw.slug).first()
    existing = framework.versions.filter(label=ver.label).first() if framework else None
    framework_same = framework is not None and (
        framework.title,
        framework.description,
        framework.rated_by,
    ) == (fw.title, fw.description, fw.rated_by)

    if existing is not None:
        stored = version_to_data(existing)
        if existing.status != FrameworkVersion.Status.DRAFT:
            # Content is equal (checked above). Only moving on in the lifecycle is allowed: published → retired.
            retire = (
                existing.status == FrameworkVersion.Status.PUBLISHED
                and ver.status == FrameworkVersion.Status.RETIRED
            )
            if not retire and framework_same:
                return LoadResult("unchanged", existing, data, dry_run)
            if dry_run:
                return LoadResult("updated", existing, data, dry_run)
            _framework_details_update(framework, fw)
            if retire:
                existing.status = FrameworkVersion.Status.RETIRED
                existing.save(update_fields=["status"])
            return LoadResult("updated", existing, data, dry_run)
        if stored == data and framework_same:
            return LoadResult("unchanged", existing, data, dry_run)
    if dry_run:
        return LoadResult("updated" if existing else "created", existing, data, dry_run)

    if framework is None:
        la = LocalAuthority.objects.get(code=fw.la_code) if fw.la_code else None
        framework = Framework.objects.create(
            slug=fw.slug,
            title=fw.title,
            publisher=fw.publisher,
            local_authority=la,
            description=fw.description,
            rated_by=fw.rated_by,
        )
    else:
        _framework_details_update(framework, fw)
    previous = framework.versions.get(label=ver.previous) if ver.previous else None
    if existing is not None:
        scale = existing.scale
        existing.sections.all().delete()  # criteria go with their sections
        existing.mappings.all().delete()
        scale.levels.all().delete()
        scale.allow_not_applicable = data.scale.allow_not_applicable
        scale.met_value = data.scale.met_value
        scale.save(update_fields=["allow_not_applicable", "met_value"])
        version = existing
        version.status, version.published_on = ver.status, ver.published_on
        version.previous, version.notes = previous, ver.notes
        version.save(update_fields=["status", "published_on", "previous", "notes"])
    else:
        scale = RatingScale.objects.create(
            allow_not_applicable=data.scale.allow_not_applicable, met_value=data.scale.met_value
        )
        version = FrameworkVersion.objects.create(
            framework=framework,
            label=ver.label,
            status=ver.status,
            published_on=ver.published_on,
            previous=previous,
            scale=scale,
            notes=ver.notes,
        )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(scale=scale, value=lv.value, label=lv.label, descriptor=lv.descriptor)
        for lv in data.scale.levels
    )
    _write_content(version, data)
    return LoadResult("updated" if existing else "created", version, data, dry_run)


def _framework_details_update(framework: Framework, fw: FrameworkData) -> None:
    details = (fw.title, fw.description, fw.rated_by)
    if (framework.title, framework.description, framework.rated_by) != details:
        framework.title, framework.description, framework.rated_by = details
        framework.save(update_fields=["title", "description", "rated_by"])


def _write_content(version: FrameworkVersion, data: FrameworkFile) -> None:
    """Create the sections (parents before children), criteria and mappings of a version."""
    pairs = data.walk_sections()
    rows = [
        Section(
            version=version,
            ref=s.ref,
            title=s.title,
            kind=s.kind,
            area_of_need=s.area_of_need,
            description=s.description,
            position=position,
        )
        for position, (s, _) in enumerate(pairs)
    ]
    # Create level by level so that each parent has its primary key before its children are created.
    depth: dict[int, int] = {}
    for s, parent in pairs:
        depth[id(s)] = 0 if parent is None else depth[id(parent)] + 1
    row_for = {id(s): rows[i] for i, (s, _) in enumerate(pairs)}
    for level in sorted(set(depth.values())):
        batch = []
        for s, parent in pairs:
            if depth[id(s)] == level:
                row = row_for[id(s)]
                row.parent = row_for[id(parent)] if parent is not None else None
                batch.append(row)
        Section.objects.bulk_create(batch)
    criteria = []
    mappings = []
    for position, (c, s) in enumerate(data.criteria()):
        criteria.append(
            Criterion(
                version=version,
                section=row_for[id(s)],
                ref=c.ref,
                statement=c.statement,
                guidance=c.guidance,
                evidence_examples=list(c.evidence),
                statutory=c.statutory,
                statutory_guidance=c.statutory_guidance,
                statutory_source=c.statutory_source,
                area_of_need=c.area_of_need,
                tier=c.tier,
                position=position,
            )
        )
        if data.version.previous:
            if c.continues:
                mappings.extend(
                    CriterionMapping(version=version, from_ref=x.ref, to_ref=c.ref, change=x.change)
                    for x in c.continues
                )
            else:
                mappings.append(CriterionMapping(version=version, from_ref="", to_ref=c.ref, change="new"))
    mappings.extend(
        CriterionMapping(version=version, from_ref=ref, to_ref="", change="retired") for ref in data.retired
    )
    Criterion.objects.bulk_create(criteria)
    CriterionMapping.objects.bulk_create(mappings)


@transaction.atomic
def framework_version_publish(
    *, version: FrameworkVersion, on: date | None = None, by: Membership | None
) -> FrameworkVersion:
    """Publish a draft: from now on it never changes."""
    if by is not None:  # None only for an operator's command
        policy.check(by, "framework_manage", version)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.DRAFT:
        raise FrameworkVersionLocked(
            f"Version {version.label} is already {version.get_status_display().lower()}."
        )
    if version.previous_id and version.previous.status == FrameworkVersion.Status.DRAFT:
        raise FrameworkVersionLocked(f"Publish version {version.previous.label} first.")
    if not version.criteria.exists():
        raise FrameworkVersionLocked("A version with no criteria cannot be published.")
    version.status = FrameworkVersion.Status.PUBLISHED
    version.published_on = on or timezone.localdate()
    version.save(update_fields=["status", "published_on"])
    return version


@transaction.atomic
def framework_version_retire(*, version: FrameworkVersion, by: Membership | None) -> FrameworkVersion:
    """Retire a published version: it stays readable, but no new audit should start on it."""
    if by is not None:  # None only for an operator's command
        policy.check(by, "framework_manage", version)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.PUBLISHED:
        raise FrameworkVersionLocked(
            f"Only a published version can be retired; version {version.label} is {version.get_status_display().lower()}."
        )
    version.status = FrameworkVersion.Status.RETIRED
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def framework_version_delete_draft(*, version: FrameworkVersion, by: Membership | None) -> None:
    """Delete a draft version and everything in it."""
    if by is not None:  # None only for an operator's command
        policy.check(by, "framework_manage", version)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.DRAFT:
        raise FrameworkVersionLocked("Only a draft can be deleted.")
    scale = version.scale
    version.delete()
    scale.delete()


# --- an LA's own spreadsheet: upload, match the columns, import ------------------------------------------

UPLOAD_LIFETIME = timedelta(days=7)  # an upload not imported by then is discarded (and its file cleared)


class FrameworkUploadClosed(DomainError):
    """The upload was imported, discarded or left too long; nothing more can happen to it."""


def _unreadable(exc: SheetUnreadable) -> FrameworkInvalid:
    return FrameworkInvalid([exc.problem])


@transaction.atomic
def framework_upload_start(*, by: Membership, filename: str, kind: str, content: bytes) -> FrameworkUpload:
    """Keep an LA's spreadsheet of criteria, with its columns guessed from the headings; nothing else is written.

    Raise FrameworkInvalid if the file cannot be read as rows.
    """
    policy.check(by, "framework_upload")
    try:
        rows = read_sheet(content, kind, filename)
    except SheetUnreadable as exc:
        raise _unreadable(exc) from None
    headings = sheet_headings(rows)
    FrameworkUpload.objects.filter(
        status=FrameworkUpload.Status.PENDING, created_at__lt=timezone.now() - UPLOAD_LIFETIME
    ).update(status=FrameworkUpload.Status.DISCARDED, content=b"")
    return FrameworkUpload.objects.create(
        local_authority_id=by.local_authority_id,
        filename=filename[:200],
        kind=kind,
        content=content,
        headings=headings,
        columns=guess_columns(headings),
        created_by=by.user,
    )


def framework_upload_is_open(upload: FrameworkUpload) -> bool:
    """Return True while the upload can still be matched and imported (pending, and not too old)."""
    return (
        upload.status == FrameworkUpload.Status.PENDING
        and upload.created_at >= timezone.now() - UPLOAD_LIFETIME
    )


def _open_upload(upload: FrameworkUpload) -> FrameworkUpload:
    locked = FrameworkUpload.objects.select_for_update().get(pk=upload.pk)
    if locked.status == FrameworkUpload.Status.IMPORTED:
        raise FrameworkUploadClosed(f"{locked.filename} has already been imported.")
    if not framework_upload_is_open(locked):
        raise FrameworkUploadClosed("This upload is no longer available: upload the file again.")
    return locked


def framework_upload_rows(upload: FrameworkUpload) -> list[tuple[int, list[str]]]:
    """Return the upload's rows, headings first; raise FrameworkInvalid if they cannot be read."""
    try:
        return read_sheet(bytes(upload.content), upload.kind, upload.filename)
    except SheetUnreadable as exc:
        raise _unreadable(exc) from None


@transaction.atomic
def framework_upload_columns_set(
    *, upload: FrameworkUpload, by: Membership, columns: dict[str, int]
) -> FrameworkUpload:
    """Say which column of the file holds each field; raise FrameworkColumnsInvalid if a choice is wrong."""
    policy.check(by, "framework_upload", upload)
    upload = _open_upload(upload)
    chosen = {name: index for name, index in columns.items() if name in MAPPED_FIELDS}
    if errors := mapped_columns_problems(upload.headings, chosen):
        raise FrameworkColumnsInvalid(errors)
    upload.columns = chosen
    upload.save(update_fields=["columns"])
    return upload


class FrameworkColumnsInvalid(DomainError):
    """Columns matched wrongly; ``errors`` maps each field to what is wrong with its choice."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def framework_upload_parse(
    upload: FrameworkUpload, *, meta: SpreadsheetMeta
) -> tuple[FrameworkFile | None, list[Problem]]:
    """Return the version the upload would create through its matched columns, or every problem in it."""
    try:
        rows = framework_upload_rows(upload)
    except FrameworkInvalid as exc:
        return None, exc.problems
    if errors := mapped_columns_problems(upload.headings, upload.columns):
        return None, [Problem(upload.filename, rows[0][0], "columns", m, "row") for m in errors.values()]
    return parse_mapped(
        rows, columns=upload.columns, headings=upload.headings, source=upload.filename, meta=meta
    )


@transaction.atomic
def framework_upload_import(*, upload: FrameworkUpload, by: Membership, meta: SpreadsheetMeta) -> LoadResult:
    """Create the draft version from the upload, all or nothing; raise FrameworkInvalid listing every problem."""
    policy.check(by, "framework_upload", upload)
    upload = _open_upload(upload)
    data, problems = framework_upload_parse(upload, meta=meta)
    if problems:
        raise FrameworkInvalid(problems)
    result = framework_version_load(data=data, owner=by.local_authority, as_draft=True, by=by)
    upload.status, upload.content, upload.version = FrameworkUpload.Status.IMPORTED, b"", result.version
    upload.save(update_fields=["status", "content", "version"])
    return result


@transaction.atomic
def framework_upload_discard(*, upload: FrameworkUpload, by: Membership) -> None:
    """Throw away an upload without importing anything."""
    policy.check(by, "framework_upload", upload)
    upload = _open_upload(upload)
    upload.status, upload.content = FrameworkUpload.Status.DISCARDED, b""
    upload.save(update_fields=["status", "content"])
