"""Short join codes (sqlite and postgres): typeable, derived again, peppered, limited, bounded."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from qunce.config import settings
from qunce.content.catalogue import Catalogue
from qunce.db.base import utcnow
from qunce.db.errors import InvalidCode, NotFound, TooManyAttempts
from qunce.db.store import Store
from qunce.workshop import shortcodes as sc
from qunce.workshop.agenda import Agenda
from qunce.workshop.models import CodeAttemptRow, ShortCodeRow
from qunce.workshop.repository import (
    create_workshop,
    join_team,
    open_workshop,
    rotate_host_code,
    rotate_team_code,
    team_join_code,
)
from tests.workshop.conftest import START

PEPPER = "test-pepper-0123456789abcdef"


@pytest.fixture(autouse=True)
def _pepper(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUNCE_CODE_PEPPER", PEPPER)
    settings.cache_clear()


@pytest.fixture
def made(store: Store, agenda: Agenda, catalogue: Catalogue) -> tuple[str, list[int]]:
    workshop, host = create_workshop(
        store, agenda, catalogue, ["红队", "Blue"], start_date=START, author="T"
    )
    return host, [t.id for t in workshop.teams]


def test_codes_use_the_unambiguous_alphabet() -> None:
    assert len(sc.ALPHABET) == 31 and len(set(sc.ALPHABET)) == 31
    assert not set("0O1IL") & set(sc.ALPHABET)
    codes = {sc.short_code("host", f"salt{n}") for n in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == sc.LENGTH == 8 and set(c) <= set(sc.ALPHABET) for c in codes)
    assert sc.short_code("host", "a") == sc.short_code("host", "a")  # derived again
    assert sc.short_code("host", "a") != sc.short_code("other", "a")


def test_typing_is_forgiving_but_impossible_codes_are_named() -> None:
    assert sc.normalise(" abcd-2345 ") == "ABCD2345"
    assert sc.normalise("abcd 2345") == "ABCD2345"
    with pytest.raises(InvalidCode, match="8 characters; this has 5"):
        sc.normalise("ABCD2")
    with pytest.raises(InvalidCode, match="never contains 0, O"):
        sc.normalise("ABCD20O5")


def test_digest_and_seal_need_the_pepper() -> None:
    key, other = b"pepper-one", b"pepper-two"
    assert sc.digest("ABCD2345", key) != sc.digest("ABCD2345", other)
    assert len(sc.digest("ABCD2345", key)) == 64
    sealed = sc.seal("qMTCUl-bsrHJvXJXGzigdA", "ABCD2345", key)
    assert "qMTCUl" not in sealed and len(sealed) == 44
    assert sc.unseal(sealed, "ABCD2345", key) == "qMTCUl-bsrHJvXJXGzigdA"
    assert sc.unseal(sealed, "ABCD2346", key) != "qMTCUl-bsrHJvXJXGzigdA"
    assert sc.unseal(sealed, "ABCD2345", other) != "qMTCUl-bsrHJvXJXGzigdA"


def test_a_short_code_opens_its_team_with_the_long_code(
    store: Store, made: tuple[str, list[int]]
) -> None:
    host, (red, blue) = made
    issued = sc.issue_short_codes(store, host)
    assert set(issued) == {red, blue}
    assert issued[red].code != issued[blue].code
    assert issued[red].display == f"{issued[red].code[:4]} {issued[red].code[4:]}"
    joined = sc.resolve_short_code(store, issued[red].code.lower(), "10.0.0.5")
    assert (joined.team_id, joined.team_name) == (red, "红队")
    workshop = open_workshop(store, host)
    assert joined.team_code == team_join_code(host, workshop.teams[0])
    assert join_team(store, joined.team_code).team.id == red
    # Nothing stored reveals the code: only digests, no code in any column.
    with store.session() as session:
        rows = session.scalars(select(ShortCodeRow)).all()
    stored = " ".join(f"{r.salt} {r.digest} {r.sealed} {r.pepper_id}" for r in rows)
    assert issued[red].code not in stored and joined.team_code not in stored
    # The desk shows the same codes again on its next run.
    again = sc.list_short_codes(store, host)
    assert {k: v.code for k, v in again.items()} == {k: v.code for k, v in issued.items()}


def test_refreshing_and_expiring_end_the_old_code(
    store: Store, made: tuple[str, list[int]]
) -> None:
    host, (red, _blue) = made
    first = sc.issue_short_code(store, host, red)
    second = sc.issue_short_code(store, host, red)
    assert first.code != second.code
    with pytest.raises(InvalidCode, match="no team has this short code"):
        sc.resolve_short_code(store, first.code, "c1")
    assert sc.resolve_short_code(store, second.code, "c1").team_id == red
    assert sc.expire_short_codes(store, host, red) == 1
    with pytest.raises(InvalidCode):
        sc.resolve_short_code(store, second.code, "c1")
    with pytest.raises(NotFound):
        sc.issue_short_code(store, host, 999_999)
    assert sc.list_short_codes(store, host) == {}


def test_a_code_works_for_the_configured_hours_only(
    store: Store, made: tuple[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_SHORT_CODE_HOURS", "2")
    settings.cache_clear()
    host, (red, _blue) = made
    now = utcnow()
    code = sc.issue_short_code(store, host, red, now=now)
    assert code.expires_at == now + timedelta(hours=2)
    assert sc.resolve_short_code(store, code.code, "c", now=now + timedelta(minutes=119))
    with pytest.raises(InvalidCode, match="expired"):
        sc.resolve_short_code(store, code.code, "c", now=now + timedelta(hours=2, seconds=1))
    assert sc.list_short_codes(store, host, now=now + timedelta(hours=3)) == {}


def test_rotating_long_codes_ends_short_codes(store: Store, made: tuple[str, list[int]]) -> None:
    host, (red, blue) = made
    issued = sc.issue_short_codes(store, host)
    rotate_team_code(store, host, red)
    with pytest.raises(InvalidCode):
        sc.resolve_short_code(store, issued[red].code, "c")
    assert sc.resolve_short_code(store, issued[blue].code, "c").team_id == blue
    rotated = rotate_host_code(store, host)
    with pytest.raises(InvalidCode):
        sc.resolve_short_code(store, issued[blue].code, "c")
    fresh = sc.issue_short_code(store, rotated.host_code, blue)
    joined = sc.resolve_short_code(store, fresh.code, "c")
    assert joined.team_code == rotated.team_codes[blue]


def test_wrong_codes_lock_one_client_then_let_it_try_again(
    store: Store, made: tuple[str, list[int]]
) -> None:
    host, (red, _blue) = made
    good = sc.issue_short_code(store, host, red).code
    wrong = next(
        sc.short_code("x", str(n)) for n in range(99) if sc.short_code("x", str(n)) != good
    )
    now = utcnow()
    for n in range(sc.CLIENT_FAILURES - 1):
        with pytest.raises(InvalidCode, match="more wrong code") as caught:
            sc.resolve_short_code(store, wrong, "attacker", now=now)
        assert not isinstance(caught.value, TooManyAttempts)
        assert f"({sc.CLIENT_FAILURES - 1 - n} more" in str(caught.value)
    with pytest.raises(TooManyAttempts, match="from this device"):
        sc.resolve_short_code(store, wrong, "attacker", now=now)
    # Locked: even the right code waits; another device is not affected.
    with pytest.raises(TooManyAttempts, match="about 14 minute"):
        sc.resolve_short_code(store, good, "attacker", now=now + timedelta(minutes=1))
    assert sc.resolve_short_code(store, good, "phone", now=now).team_id == red
    # After the lockout a new window starts.
    later = now + sc.LOCKOUT + timedelta(seconds=1)
    assert sc.resolve_short_code(store, good, "attacker", now=later).team_id == red
    with pytest.raises(InvalidCode, match=f"\\({sc.CLIENT_FAILURES - 1} more"):
        sc.resolve_short_code(store, wrong, "attacker", now=later)
    # Typos that cannot be a code are not counted.
    for _ in range(sc.CLIENT_FAILURES + 2):
        with pytest.raises(InvalidCode, match="8 characters"):
            sc.resolve_short_code(store, "ABC", "typist", now=now)
    assert sc.resolve_short_code(store, good, "typist", now=now).team_id == red
    # Client keys are stored only as digests.
    with store.session() as session:
        keys = set(session.scalars(select(CodeAttemptRow.key)))
    assert "attacker" not in keys and sc.client_key_digest("attacker") in keys


def test_wrong_codes_from_many_clients_lock_short_codes_for_everyone(
    store: Store, made: tuple[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sc, "ALL_FAILURES", 5)
    host, (red, _blue) = made
    good = sc.issue_short_code(store, host, red).code
    now = utcnow()
    for n in range(5):
        with pytest.raises(InvalidCode):
            sc.resolve_short_code(store, "ZZZZZZZZ", f"bot-{n}", now=now)
    with pytest.raises(TooManyAttempts, match="from all devices"):
        sc.resolve_short_code(store, good, "honest-phone", now=now)
    # The long code on the QR sheet still works.
    workshop = open_workshop(store, host)
    assert join_team(store, team_join_code(host, workshop.teams[0])).team.id == red
    later = now + sc.LOCKOUT + timedelta(seconds=1)
    assert sc.resolve_short_code(store, good, "honest-phone", now=later).team_id == red


def test_the_pepper_defaults_to_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUNCE_CODE_PEPPER", raising=False)
    monkeypatch.setenv("QUNCE_DATA_DIR", str(tmp_path / "data"))
    settings.cache_clear()
    key = sc.pepper()
    path = tmp_path / "data" / sc.PEPPER_FILE
    assert path.read_bytes().strip() == key and len(key) == 64
    assert path.stat().st_mode & 0o077 == 0  # readable by the server's user only
    sc._pepper.cache_clear()
    assert sc.pepper() == key  # read again, not replaced


def test_short_code_messages_speak_chinese_too() -> None:
    from qunce.workshop.shortcodes import normalise

    with pytest.raises(InvalidCode) as short:
        normalise("ABC")
    assert "短码有 8 位" in short.value.text("zh")
    with pytest.raises(InvalidCode) as wrong:
        normalise("ABCD 0O1I")
    assert "不会有" in wrong.value.text("zh") and "never contains" in wrong.value.text("en")
