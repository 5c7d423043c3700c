"""A content file becomes invalid while the app runs: the other items are still served, the
error is shown, and the item comes back when the file is fixed.

The file lives in an extra content folder (QUNCE_CONTENT_PATH), as a trainer's own playbook
would; it starts as a valid copy of a shipped playbook under a new id.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
EXTRA_ID = "trainer-launch-drill"
EXTRA_TITLE = "Trainer's launch drill"


def _valid_yaml() -> str:
    text = (ROOT / "playbooks" / "launch-rules.yaml").read_text(encoding="utf-8")
    text = text.replace("id: launch-rules", f"id: {EXTRA_ID}", 1)
    # Only the parent section: the leaves belong to launch-rules, and each leaf to one item.
    text = text.replace('sections: ["3.2", "3.2.1", "3.2.2", "3.2.3"]', 'sections: ["3.2"]', 1)
    text = text.replace(
        "en: Launching a group, keeping it lively and tying it to a real store",
        f"en: {EXTRA_TITLE}",
        1,
    )
    assert EXTRA_TITLE in text and f"id: {EXTRA_ID}" in text
    return text


def syntax_error(valid: str) -> bytes:
    return valid.replace("kind: playbook", "kind: playbook\n  : : [unclosed", 1).encode()


def schema_error(valid: str) -> bytes:
    return valid.replace("kind: playbook", "kind: playbook\neffort: lots", 1).encode()


def recursive_alias(valid: str) -> bytes:
    return valid.replace("tags: [", "loop: &loop [*loop]\ntags: [", 1).encode()


# Encoding and empty files are covered by the loader's own tests; these three matter live.
BREAKS: list[Callable[[str], bytes]] = [syntax_error, schema_error, recursive_alias]


def _titles(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(e.label for e in at.expander)


def _bump_mtime(path: Path, step: int) -> None:
    # The page notices a change by size and mtime; make sure the mtime moves on coarse clocks.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + step * 1_000_000_000))


@pytest.mark.parametrize("damage", BREAKS, ids=lambda f: f.__name__)
def test_a_broken_content_file_hides_only_its_item(
    damage: Callable[[str], bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "trainer"
    folder.mkdir()
    path = folder / f"{EXTRA_ID}.yaml"
    valid = _valid_yaml()
    path.write_text(valid, encoding="utf-8")
    monkeypatch.setenv("QUNCE_CONTENT_PATH", str(folder))
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(tmp_path / "index"))

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("views/playbooks.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert EXTRA_TITLE in _titles(at)
    assert not any("content error" in e.label for e in at.expander)

    path.write_bytes(damage(valid))
    _bump_mtime(path, 1)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert EXTRA_TITLE not in _titles(at)
    assert "Launching a group, keeping it lively" in _titles(at), "the other items are still served"
    # a visitor learns that something is missing, never a path or a message
    assert any("Some content cannot be shown" in c.value for c in at.caption)
    assert not any("content error" in e.label for e in at.expander)
    assert f"{EXTRA_ID}.yaml" not in "\n".join(c.value for c in at.code)
    # an admin (QUNCE_ADMIN_CODE, unlocked) sees which file and why
    monkeypatch.setenv("QUNCE_ADMIN_CODE", "admin-code-for-tests")
    from qunce.config import settings

    settings.cache_clear()
    at.session_state["admin.unlocked_at"] = datetime.now(UTC)
    at.run()
    assert len([e for e in at.expander if "content error" in e.label]) == 1
    shown = "\n".join(c.value for c in at.code)
    assert f"{EXTRA_ID}.yaml" in shown
    # A link to the broken item lands on the list, without an exception.
    at.query_params["id"] = EXTRA_ID
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Playbooks"

    path.write_text(valid, encoding="utf-8")
    _bump_mtime(path, 2)
    del at.query_params["id"]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert EXTRA_TITLE in _titles(at), "fixed, the item is back"
    assert not any("content error" in e.label for e in at.expander)


def test_an_alias_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    """Nine levels of nine aliases would expand to 9**9 strings; the loader must refuse them."""
    folder = tmp_path / "trainer"
    folder.mkdir()
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (folder / "bomb.yaml").write_text("\n".join([*lines, "id: bomb", "kind: playbook"]) + "\n")
    try:
        result = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "qunce"), "validate", str(folder)],
            capture_output=True, text=True, timeout=30, cwd=ROOT, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("qunce validate was still expanding the aliases after 30 s")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bomb.yaml" in result.stdout
    assert "Traceback" not in result.stderr
