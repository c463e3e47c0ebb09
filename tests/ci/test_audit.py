"""The dependency audit of CI fails on a known vulnerability unless it is a documented exception."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "ci_audit", Path(__file__).resolve().parents[2] / ".ci" / "audit.py"
)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-1", "aliases": ["CVE-1"]}]},
        {"name": "pillow", "version": "12.0", "vulns": []},
    ],
    "fixes": [],
}


def test_a_known_vulnerability_fails_the_audit():
    code, lines = audit.verdict(VULNERABLE, {}, require=False)
    assert code == 1
    assert any(line.startswith("VULNERABLE  django 5.2.0: PYSEC-1") for line in lines)


def test_a_documented_exception_passes_by_any_alias():
    code, lines = audit.verdict(VULNERABLE, {"CVE-1": "not reachable; review 2027-01"}, False)
    assert code == 0
    assert any("allowed" in line and "review 2027-01" in line for line in lines)


def test_an_unreachable_service_is_reported_and_fails_when_required():
    unreachable = {"dependencies": [{"name": "django", "skip_reason": "not found"}], "fixes": []}
    code, lines = audit.verdict(unreachable, {}, require=False)
    assert code == 0 and "AUDIT NOT PERFORMED" in lines[-1]
    assert audit.verdict(unreachable, {}, require=True)[0] == 1


def test_the_exceptions_file_gives_each_id_its_reason(tmp_path, monkeypatch):
    listed = tmp_path / "audit-exceptions.txt"
    listed.write_text(
        "# Accepted for now.\n"
        "\n"
        "PYSEC-2099-1  not reachable: we never call it; review 2027-01\n"
        "GHSA-xxxx-yyyy   fixed upstream, waiting for the release  # comment\n"
        "   # an indented comment\n"
    )
    monkeypatch.setattr(audit, "EXCEPTIONS", listed)
    assert audit.exceptions() == {
        "PYSEC-2099-1": "not reachable: we never call it; review 2027-01",
        "GHSA-xxxx-yyyy": "fixed upstream, waiting for the release",
    }


def test_every_committed_exception_says_why():
    """An exception without a reason is not documented: the audit must not accept it silently."""
    assert all(reason for reason in audit.exceptions().values()), audit.exceptions()
