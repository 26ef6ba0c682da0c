"""The apps' layers (docs/development.md): the import-linter contract in pyproject.toml.

Apps import only from the layers below them: config's helpers, then accounts, teams and
notifications, then charter, then indicators, then meetings, then improvement. An app
that needs something from above registers a hook instead (charter/hooks.py,
indicators/hooks.py, notifications/emails.py).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_apps_keep_their_layers():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_app_reaches_up_through_the_app_registry():
    """`apps.get_model("improvement", ...)` from a lower app is an import in disguise."""
    below = {
        "accounts": ["teams", "notifications", "charter", "indicators", "meetings", "improvement"],
        "teams": ["charter", "indicators", "meetings", "improvement"],
        "notifications": ["charter", "indicators", "meetings", "improvement"],
        "charter": ["indicators", "meetings", "improvement"],
        "indicators": ["meetings", "improvement"],
        "meetings": ["improvement"],
    }
    found = []
    for app, higher in below.items():
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            found += [
                f"{path.relative_to(ROOT)} -> {other}"
                for other in higher
                if f'get_model("{other}"' in text or f"get_model('{other}'" in text
            ]
    assert found == []
