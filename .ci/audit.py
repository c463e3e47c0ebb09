"""Vulnerability audit of the installed dependencies (pip-audit), with documented exceptions.

Fails when a dependency has a known vulnerability that `.ci/audit-exceptions.txt` does not list
with its reason. When the vulnerability service cannot be reached (every dependency comes back
"could not be audited"), says so loudly; it fails then only under REQUIRE_AUDIT=1, because an
unreachable service proves nothing either way.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXCEPTIONS = HERE / "audit-exceptions.txt"


def exceptions() -> dict[str, str]:
    """`ID  reason` per line; '#' starts a comment."""
    found = {}
    for line in EXCEPTIONS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            vuln_id, _, reason = line.partition(" ")
            found[vuln_id] = reason.strip()
    return found


def verdict(report: dict, allowed: dict[str, str], require: bool) -> tuple[int, list[str]]:
    lines, vulnerable, audited, skipped = [], 0, 0, 0
    for dependency in report["dependencies"]:
        if "skip_reason" in dependency:
            skipped += 1
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            excused = ids & set(allowed)
            name = f"{dependency['name']} {dependency['version']}: {vuln['id']}"
            if excused:
                lines.append(f"allowed  {name} ({allowed[excused.pop()]})")
            else:
                vulnerable += 1
                fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
                lines.append(f"VULNERABLE  {name} (fixed in {fixed})")
    lines.append(f"audited {audited}, vulnerable {vulnerable}, not audited {skipped}")
    if vulnerable:
        return 1, lines
    if audited == 0 and skipped:
        lines.append(
            "AUDIT NOT PERFORMED: the vulnerability service could not be reached from here."
        )
        return (1 if require else 0), lines
    return 0, lines


def main() -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--local",
        "--skip-editable",
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(done.stderr, file=sys.stderr)
        return 1
    code, lines = verdict(report, exceptions(), os.environ.get("REQUIRE_AUDIT") == "1")
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
