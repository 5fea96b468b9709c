#!/usr/bin/env python
"""Print performance figures for sendplan (`make bench`). Not a test: nothing here passes or fails.

Runs against a fresh throwaway database (PostgreSQL when DATABASE_URL is set, else SQLite), created
and destroyed by Django's test machinery, so real data is never touched.
"""

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendplan.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from scripts.benchlib import Report  # noqa: E402

# BENCH=reports (or a comma-separated list) runs only those: scripts/bench_<name>.py
BENCHES = [f"bench_{name}" for name in os.environ.get("BENCH", "standards,audits,ehcp,reports").split(",")]

# The audit documents (health check, full audit report) run by default too: scripts/bench_audit_documents.py
if "BENCH" not in os.environ:
    BENCHES.append("bench_audit_documents")


def main() -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    report = Report()
    print(f"sendplan benchmark on {connection.vendor}")
    try:
        for name in BENCHES:
            try:
                module = importlib.import_module(f"scripts.{name}")
            except ModuleNotFoundError:
                continue
            print(f"\n{module.__doc__.strip().splitlines()[0]}")
            try:
                module.run(report)
            except Exception as exc:  # one broken benchmark must not hide the others' figures
                print(f"  This benchmark failed: {type(exc).__name__}: {exc}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
