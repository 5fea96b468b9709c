"""Read a PDF the way a person and a screen reader would: poppler's pdftotext, pdfinfo and pdftoppm."""

import os
import re
import subprocess
import zlib
from pathlib import Path

from PIL import Image


def _save(pdf: bytes, folder: Path, name: str = "document.pdf") -> Path:
    path = folder / name
    path.write_bytes(pdf)
    return path


def pdf_info(pdf: bytes, folder: Path) -> dict[str, str]:
    """Return pdfinfo's fields ("Title", "Tagged", "Pages", "Page size"...)."""
    out = subprocess.run(
        ["pdfinfo", str(_save(pdf, folder))], capture_output=True, text=True, check=True
    ).stdout
    return {
        key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def pdf_text(pdf: bytes, folder: Path, *, page: int | None = None) -> str:
    """Return the text in reading order (one page, or all), with runs of white space made single spaces."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", *pages, str(_save(pdf, folder)), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def struct_headings(pdf: bytes, folder: Path) -> list[tuple[str, str]]:
    """Return the headings of the PDF's structure tree in order, e.g. [("H1", "EHC plan for ...")]."""
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(_save(pdf, folder))], capture_output=True, text=True, check=True
    ).stdout
    headings: list[tuple[str, str]] = []
    current: tuple[int, str, list[str]] | None = None
    for line in out.splitlines():
        indent = len(line) - len(line.lstrip())
        if current and indent <= current[0]:
            headings.append((current[1], " ".join(" ".join(current[2]).split())))
            current = None
        if match := re.match(r"^\s*(H[1-6])\b", line):
            current = (indent, match.group(1), [])
        elif current and (text := re.match(r'^\s*"(.*)"\s*$', line)):
            current[2].append(text.group(1))
    if current:
        headings.append((current[1], " ".join(" ".join(current[2]).split())))
    return headings


def struct_text(pdf: bytes, folder: Path) -> str:
    """Return the text of the structure tree in its order (what a screen reader reads), spaces made single."""
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(_save(pdf, folder))], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(" ".join(m.group(1) for m in re.finditer(r'^\s*"(.*)"\s*$', out, re.M)).split())


def pdf_objects(pdf: bytes) -> bytes:
    """Return the PDF's bytes with its compressed streams (object streams among them) decompressed."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def pdf_language(pdf: bytes) -> str | None:
    """Return the document language of the PDF's catalogue (/Lang), or None."""
    found = re.search(rb"/Lang\s*\(([^)]*)\)", pdf_objects(pdf))
    return found.group(1).decode() if found else None


def figure_alt_texts(pdf: bytes) -> list[str]:
    """Return the alternative text (/Alt) of the PDF's figures."""
    return [
        m.group(1).decode("latin-1") for m in re.finditer(rb"/Alt\s*\(((?:[^()\\]|\\.)*)\)", pdf_objects(pdf))
    ]


def struct_roles(pdf: bytes, folder: Path) -> set[str]:
    """Return the structure element types the PDF's tag tree uses (Table, TH, Figure...)."""
    out = subprocess.run(
        ["pdfinfo", "-struct", str(_save(pdf, folder))], capture_output=True, text=True, check=True
    ).stdout
    return {m.group(1) for m in re.finditer(r"^\s*([A-Za-z0-9]+)\b", out, re.M)}


def page_png_ink(pdf: bytes, folder: Path, *, page: int = 1, keep: Path | None = None) -> float:
    """Render one page to PNG (as pdftoppm -png -r 60) and return the share of its pixels that are not white."""
    prefix = folder / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(_save(pdf, folder)), str(prefix)],
        check=True,
    )  # fmt: skip
    png = prefix.with_suffix(".png")
    if keep is not None:
        keep.write_bytes(png.read_bytes())
    histogram = Image.open(png).convert("L").histogram()  # pixels at each grey level, black (0) to white
    return sum(histogram[:200]) / sum(histogram)


def keep(name: str) -> Path | None:
    """Where to keep a page's PNG to look at (KEEP_PAGES=/some/folder), or None."""
    folder = os.environ.get("KEEP_PAGES")
    return Path(folder) / name if folder else None


def in_order(text: str, parts: list[str]) -> bool:
    """Return True if each part appears in the text after the one before it (else fail, naming it)."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} is not after {text[max(0, at - 80) : at]!r}"
        at = found + len(part)
    return True
