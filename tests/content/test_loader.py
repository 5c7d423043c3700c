"""Every kind of bad content file is reported with file:line, field path, message and hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from qunce.content.catalogue import load_catalogue

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "content"
VALID = FIXTURES / "valid"
BAD = FIXTURES / "bad"

# fixture → the exact lines `qunce validate` prints for it (paths relative to the bad/ folder)
EXPECTED = {
    "bad-syntax.yaml": [
        "bad-syntax.yaml:4: invalid YAML: expected ',' or ']', but got '<scalar>' while parsing a flow sequence",
        "    hint: check indentation and quoting near this line; a value with ': ' needs quotes",
    ],
    "duplicate-key.yaml": [
        "duplicate-key.yaml:6: title: duplicate key 'title' (first at line 4, again at line 6)",
        "    hint: keep one of them; YAML would silently use the last",
    ],
    "missing-field.yaml": [
        "missing-field.yaml:1: summary: missing required field",
        "    hint: add `summary:` here",
    ],
    "unknown-field.yaml": [
        "unknown-field.yaml:7: titel: unknown field",
        "    hint: did you mean `title`?",
    ],
    "wrong-type.yaml": [
        "wrong-type.yaml:22: steps[1].effort_days: expected a number of days, got 'two'",
    ],
    "id-mismatch.yaml": [
        "id-mismatch.yaml:1: id: id 'launch-again' differs from the file name 'id-mismatch'",
        "    hint: rename the file to launch-again.yaml or set id: id-mismatch",
    ],
    "unknown-reference.yaml": [
        "unknown-reference.yaml:9: related[0]: unknown id 'fixture-basic': no playbook or case has it",
        "    hint: did you mean 'fixture-basics'?",
    ],
    "unknown-section.yaml": [
        "unknown-section.yaml:3: sections[0]: section '3.9' is not in the book's table of contents",
        "    hint: did you mean '3.4'?",
    ],
    "unknown-tag.yaml": [
        "unknown-tag.yaml:6: tags[0]: unknown tag 'lanch'",
        "    hint: did you mean 'launch'? terms are listed in playbooks/_vocabulary.yaml",
    ],
    "missing-en.yaml": [
        "missing-en.yaml:4: title.en: missing the en text",
        "    hint: every text needs both zh and en",
    ],
    "not-utf8.yaml": [
        "not-utf8.yaml:4: the file is not UTF-8 (byte 0xC6 cannot be decoded)",
        "    hint: save the file as UTF-8 (GBK and Big5 are not accepted)",
    ],
    "case-bad-playbook.yaml": [
        "case-bad-playbook.yaml:12: playbooks[0]: 'fixture-case' is a case, not a playbook",
        "    hint: did you mean 'fixture-case'?",
    ],
    "case-unsourced.yaml": [
        "case-unsourced.yaml:17: results[0]: a result needs a source, or illustration: true",
    ],
    "leaf-twice.yaml": [
        "leaf-twice.yaml:3: sections[0]: leaf section '3.2.1' is already covered by 'fixture-launch'",
        "    hint: every leaf section of the book belongs to exactly one item",
    ],
    "duplicate-id": [
        "duplicate-id/fixture-basics.yaml:1: id: duplicate id 'fixture-basics': also used by "
        "{valid}/playbooks/fixture-basics.yaml",
        "    hint: ids are unique across playbooks and cases",
    ],
}


def _load(*extra: Path):  # type: ignore[no-untyped-def]
    return load_catalogue(playbooks_dir=VALID / "playbooks", cases_dir=VALID / "cases", extra=list(extra))


def test_valid_fixtures_load_clean() -> None:
    catalogue = _load()
    assert catalogue.errors == []
    assert sorted(catalogue.items) == ["fixture-basics", "fixture-case", "fixture-launch"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_input_is_reported_with_its_line(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    catalogue = _load(BAD / name)
    rendered = "\n".join(e.render(FIXTURES) for e in catalogue.errors).splitlines()
    expected = [
        line if line.startswith(" ") else "bad/" + line.replace("{valid}", "valid")
        for line in EXPECTED[name]
    ]
    assert rendered == expected


def test_bad_file_does_not_hide_the_valid_ones() -> None:
    catalogue = _load(BAD / "wrong-type.yaml", BAD / "bad-syntax.yaml", BAD / "not-utf8.yaml")
    assert len(catalogue.errors) == 3
    assert {"fixture-basics", "fixture-launch", "fixture-case"} <= set(catalogue.items)


def test_all_problems_are_collected_before_stopping() -> None:
    catalogue = _load(*(BAD / name for name in EXPECTED))
    assert len(catalogue.errors) == len(EXPECTED)


def test_version_changes_when_the_item_changes(tmp_path: Path) -> None:
    folder = tmp_path / "playbooks"
    folder.mkdir()
    source = (VALID / "playbooks" / "fixture-launch.yaml").read_text(encoding="utf-8")
    (folder / "fixture-launch.yaml").write_text(source, encoding="utf-8")
    before = load_catalogue(playbooks_dir=folder, cases_dir=tmp_path / "none", extra=[]).version("fixture-launch")
    (folder / "fixture-launch.yaml").write_text(source.replace("effort_days: 2", "effort_days: 3"), encoding="utf-8")
    after = load_catalogue(playbooks_dir=folder, cases_dir=tmp_path / "none", extra=[]).version("fixture-launch")
    assert before != after


def test_extra_content_path_is_loaded_like_the_built_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "company"
    extra.mkdir()
    source = (VALID / "playbooks" / "fixture-launch.yaml").read_text(encoding="utf-8")
    (extra / "our-launch.yaml").write_text(
        source.replace("id: fixture-launch", "id: our-launch").replace('["3.2", "3.2.1"]', '["3.2"]')
        .replace('    section: "3.2.1"\n', ""),
        encoding="utf-8",
    )
    monkeypatch.setenv("QUNCE_CONTENT_PATH", str(extra))
    from qunce.config import settings

    settings.cache_clear()
    catalogue = load_catalogue(playbooks_dir=VALID / "playbooks", cases_dir=VALID / "cases")
    assert "our-launch" in catalogue.items
    assert catalogue.errors == []


def test_libyaml_and_pure_python_composers_agree_on_values_and_lines() -> None:
    """The fast (libyaml) path must give the same data and field lines as the Python loader."""
    import yaml

    from qunce.content import yamlfile

    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "playbooks").glob("*.yaml")) + sorted((root / "cases").glob("*.yaml"))
    assert len(files) > 40
    for file in files:
        text = file.read_text(encoding="utf-8")
        fast = yamlfile._Builder(file)
        slow = yamlfile._Builder(file)
        fast_data = fast.build(yamlfile._compose(text), ())
        slow_data = slow.build(yaml.compose(text, Loader=yamlfile._NoAliasLoader), ())
        assert (fast_data, fast.lines) == (slow_data, slow.lines), file.name
