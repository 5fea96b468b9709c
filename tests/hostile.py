"""Hostile input for the fuzz tests: strings, values and forms an attacker or a broken client might send,
and a fingerprint of another organisation's rows to prove nothing of theirs changed."""

from collections.abc import Callable
from html.parser import HTMLParser

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sendplan.models import LocalAuthority, School

# Values that have broken web apps on PostgreSQL or elsewhere: NUL (PostgreSQL refuses it in text),
# overlong numbers, dates that do not exist, right-to-left overrides, combining marks, astral-plane and
# non-characters, byte-order marks, markup, SQL, paths, and JSON or Python literals where text is expected.
ODD_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 300,
    "\r\n\r\n",
    "\t",
    "\u202eevil.pdf",
    "e\u0301\u0301\u0301",
    "\ufeff",
    "\uffff",
    "\U0010ffff",
    "𝕊𝔼ℕ𝔻 😀",
    "Ω≈ç√∫",
    "ﷺ",
    "' OR '1'='1",
    "'; DROP TABLE audits_audit; --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "%s%s%n",
    "../../../../etc/passwd",
    "-1",
    "0",
    "-0",
    "1.5",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "-9223372036854775809",
    "2147483648",
    "31",
    "2026-02-30",
    "30/02/2026",
    "true",
    "null",
    "[]",
    "{}",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "S1-01",
    "N/A",
    "na",
]
# Text without lone surrogates: the test client, like a browser, sends UTF-8, which cannot carry them
# (raw undecodable bytes are sent separately, in test_fuzz_forms.py).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
huge_text = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["x", "é", "\x00", "𝕏", "ab\x00", " "]),
    st.sampled_from([101, 256, 1001, 2001, 5001, 20_000, 200_000]),
)
big_numbers = st.integers(min_value=-(2**80), max_value=2**80).map(str)


def hostile_values(foreign_ids: list[str]) -> st.SearchStrategy[str]:
    """Return a strategy for one hostile form value, other organisations' ids among them."""
    choices = [st.sampled_from(ODD_STRINGS), any_text, huge_text, big_numbers]
    if foreign_ids:
        choices.append(st.sampled_from(foreign_ids))
    return st.one_of(*choices)


def field_values(candidates: list[str], foreign_ids: list[str]) -> st.SearchStrategy:
    """Return a strategy for what one field carries: missing (None), a value the form offers, a hostile
    value, or several values where one is expected (a wrong type)."""
    hostile = hostile_values(foreign_ids)
    offered = [st.sampled_from(candidates)] if candidates else []
    return st.one_of(
        st.none(),
        *offered,
        *offered,  # offered values twice as often, so most examples reach past the first check
        hostile,
        st.lists(st.one_of(hostile, *offered), min_size=2, max_size=3),
    )


# Query parameters the views read (grep request.GET), and a few they do not.
QUERY_NAMES = ["page", "criterion", "section", "show", "confirmed", "version", "audit", "to", "from", "left"]
QUERY_NAMES += ["next", "q", "search", "year", "kind", "status", "sort", "format"]


class FormFinder(HTMLParser):
    """Collect each POST form on a page: its action, and for each field name the values it offers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {"action": a.get("action") or "", "fields": {}, "files": set()}
                self.forms.append(self._form)
            else:
                self._form = None
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if (a.get("type") or "").lower() == "file":
                self._form["files"].add(name)
            else:
                values = self._form["fields"].setdefault(name, [])
                if a.get("value") is not None:
                    values.append(a["value"])
        elif tag == "textarea" and name:
            self._form["fields"].setdefault(name, [])
        elif tag == "select" and name:
            self._select = name
            self._form["fields"].setdefault(name, [])
        elif tag == "option" and self._select and a.get("value") is not None:
            self._form["fields"][self._select].append(a["value"])
        elif tag == "button" and name:
            self._form["fields"].setdefault(name, []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def post_forms(html: str) -> list[dict]:
    """Return the POST forms on a page (action, fields with their offered values, file fields)."""
    finder = FormFinder()
    finder.feed(html)
    return finder.forms


def school_owned_models():
    return [m for m in apps.get_models() if any(f.name == "school" for f in m._meta.concrete_fields)]


def la_owned_models():
    return [
        m
        for m in apps.get_models()
        if any(f.name == "local_authority" for f in m._meta.concrete_fields) and m is not School
    ]


def fingerprint(school: School, la: LocalAuthority) -> dict:
    """Return every row another organisation owns (the school's, the LA's), to compare before and after."""
    rows = {
        "school": list(School.objects.filter(pk=school.pk).values()),
        "la": list(LocalAuthority.objects.filter(pk=la.pk).values()),
    }
    for model in school_owned_models():
        rows[model._meta.label] = sorted(map(repr, model.objects.filter(school=school).values()))
    for model in la_owned_models():
        rows[f"{model._meta.label} (LA)"] = sorted(
            map(repr, model.objects.filter(local_authority=la).values())
        )
    return rows


def foreign_ids(school: School, la: LocalAuthority) -> list[str]:
    """Return the public ids of every row the other school and LA own: what an attacker would post."""
    ids = [str(school.public_id)]
    for model in school_owned_models():
        if any(f.name == "public_id" for f in model._meta.concrete_fields):
            ids += [str(i) for i in model.objects.filter(school=school).values_list("public_id", flat=True)]
    for model in la_owned_models():
        if any(f.name == "public_id" for f in model._meta.concrete_fields):
            ids += [
                str(i) for i in model.objects.filter(local_authority=la).values_list("public_id", flat=True)
            ]
    ids += [str(pk) for pk in School.objects.filter(pk=school.pk).values_list("pk", flat=True)]
    return sorted(set(ids))


def build_other_tenant(world, senco_b) -> dict:
    """Give school B and LA Y rows of every main kind: what school A's and LA X's people must not touch.

    Return their public ids (for hostile values) and their fingerprint (to compare with afterwards).
    """
    from tests.audits.factories import make_audit, sample_submitted_audit
    from tests.ehcp.factories import PlanFactory, PupilFactory, add_golden_thread
    from tests.publications.factories import published_strategy
    from tests.standards.factories import framework_data, load_version

    sample_submitted_audit(world.school_b, slug="other-tenant-framework")
    make_audit(world.school_b, senco_b)
    pupil = PupilFactory(school=world.school_b, sen_provision="E", primary_need="SLCN")
    plan = PlanFactory(pupil=pupil, school=world.school_b)
    add_golden_thread(plan.versions.get())
    published_strategy(world.school_b, senco_b)
    load_version(framework_data(criteria=2, sections=1, publisher="local_authority", la_code=world.la_y.code))
    return {"ids": foreign_ids(world.school_b, world.la_y), "before": fingerprint(world.school_b, world.la_y)}


def fuzz_page(client: Client, url: str, ids: list[str], unchanged: Callable[[], bool], fuzz_settings) -> None:
    """Open the page, then send each POST form on it (and the page itself, with query parameters) hostile
    values; fail on a server error or when ``unchanged()`` says another organisation's rows changed."""
    page = client.get(url)
    assert page.status_code < 500
    is_html = page.get("Content-Type", "").startswith("text/html")
    html = page.content.decode(errors="replace") if is_html else ""
    # The header's forms (sign out, stay signed in) are on every page; each is fuzzed at its own URL.
    chrome = {reverse("account_logout"), reverse("session_extend")} - {url}
    forms = [f for f in post_forms(html) if f["action"] not in chrome]
    forms = forms or [{"action": url, "fields": {}, "files": set()}]

    def form_data(form):
        fields = {
            name: field_values(offered, ids) for name, offered in form["fields"].items() if name != "next"
        }
        uploads = {
            name: st.one_of(st.none(), st.tuples(hostile_values([]), st.binary(max_size=300)))
            for name in sorted(form["files"])
        }
        return st.fixed_dictionaries(
            {
                "data": st.fixed_dictionaries(fields),
                "extra": st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_values(ids), max_size=2),
                "files": st.fixed_dictionaries(uploads),
            }
        )

    # First, deterministically, the value PostgreSQL refuses outright: NUL in every parameter and field.
    nul = "a\x00b"
    assert client.get(url, dict.fromkeys(QUERY_NAMES, nul)).status_code < 500
    for form in forms:
        data = {name: nul for name in form["fields"] if name != "next"}
        assert (
            client.post(form["action"] or url, {**data, **dict.fromkeys(QUERY_NAMES, nul)}).status_code < 500
        )
    assert unchanged(), "a row of another organisation changed"

    @fuzz_settings
    @given(
        st.one_of(
            st.tuples(st.just("get"), st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_values(ids))),
            *[st.tuples(st.just(i), form_data(form)) for i, form in enumerate(forms)],
        ),
        st.booleans(),
    )
    def send(choice, htmx):
        how, payload = choice
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        if how == "get":
            response = client.get(url, payload, **extra)
        else:
            form = forms[how]
            data = {k: v for k, v in payload["data"].items() if v is not None}
            data.update(payload["extra"])
            for field, upload in payload["files"].items():
                if upload is not None:
                    data[field] = SimpleUploadedFile(upload[0][:200] or "file", upload[1])
            response = client.post(form["action"] or url, data, **extra)
        assert response.status_code < 500
        assert unchanged(), "a row of another organisation changed"

    send()
