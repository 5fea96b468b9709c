#!/usr/bin/env python3
"""Vendor GOV.UK Frontend's prebuilt dist into static/govuk-frontend/ (run once, commit the output).

sendplan is not hosted on GOV.UK, so by default the GDS Transport font, the crown and the crest are
removed and a system font stack is used instead (GOV.UK's rule for services off GOV.UK).

    python scripts/vendor_govuk_frontend.py               # pinned version, non-GOV.UK branding
    python scripts/vendor_govuk_frontend.py --version 6.6.0
"""

import argparse
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VERSION = "6.6.0"
ROOT = Path(__file__).resolve().parent.parent
DEST = ROOT / "static" / "govuk-frontend"
SYSTEM_FONT = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif'


def rebrand(css: str) -> str:
    """Return the prebuilt CSS without GDS Transport and the crest, with relative asset URLs."""
    css = css.replace("url(/assets/", "url(assets/")
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)  # the map no longer matches the edited CSS
    css = re.sub(r"/\*![^*]*Margaret Calvert[^*]*\*/", "", css)
    css = re.sub(r"@font-face\{font-family:GDS Transport;[^}]*\}", "", css)
    css = css.replace("GDS Transport,arial,sans-serif", SYSTEM_FONT)
    css = css.replace("font-family:GDS Transport", f"font-family:{SYSTEM_FONT}")
    css = re.sub(
        r"@supports \(\(-webkit-mask-position:initial\) or \(mask-position:initial\)\)"
        r"\{\.govuk-footer__copyright-logo:before\{[^}]*\}\}",
        "",
        css,
    )
    css = re.sub(r"\.govuk-footer__copyright-logo:before\{[^}]*\}", "", css)
    assert "GDS Transport" not in css, "font rewrite missed a rule"
    assert "govuk-crest" not in css, "crest rule left in"
    return css


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", default=VERSION)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(  # noqa: S603 - a fixed argument list; only the version comes from the developer's command line
            ["npm", "pack", "--silent", f"govuk-frontend@{args.version}"],  # noqa: S607 - npm from PATH, a developer tool
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        with tarfile.open(Path(tmp) / out.strip().splitlines()[-1]) as archive:
            archive.extractall(tmp, filter="data")
        src = Path(tmp) / "package" / "dist" / "govuk"
        if DEST.exists():
            shutil.rmtree(DEST)
        DEST.mkdir(parents=True)
        shutil.copy2(src / "govuk-frontend.min.js", DEST / "govuk-frontend.min.js")
        js = (DEST / "govuk-frontend.min.js").read_text()
        (DEST / "govuk-frontend.min.js").write_text(re.sub(r"//# sourceMappingURL=\S+", "", js))
        (DEST / "govuk-frontend.min.css").write_text(rebrand((src / "govuk-frontend.min.css").read_text()))
        (DEST / "VERSION.txt").write_text(args.version + "\n")
        print(f"GOV.UK Frontend {args.version} vendored into {DEST.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
