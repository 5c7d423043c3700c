"""Issue 12's workshop parts (sqlite and postgres): rotating the facilitator and screen codes,
quotas from the settings, and the last use written at most hourly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from qunce.config import settings
from qunce.content.catalogue import Catalogue
from qunce.db.base import utcnow
from qunce.db.errors import InvalidCode, InvalidValue
from qunce.db.store import Store
from qunce.plans.workspaces import create_workspace
from qunce.workshop import repository as repo
from qunce.workshop.agenda import Agenda
from qunce.workshop.models import WorkshopRow
from tests.workshop.conftest import START


def _make(store: Store, agenda: Agenda, catalogue: Catalogue, teams: int = 2) -> str:
    _made, host = repo.create_workshop(
        store, agenda, catalogue, repo.default_team_names(teams, "en"), start_date=START
    )
    return host


def test_rotating_the_facilitator_code_rekeys_everything(
    store: Store, agenda: Agenda, catalogue: Catalogue
) -> None:
    host = _make(store, agenda, catalogue)
    before = repo.open_workshop(store, host)
    old_screen = repo.screen_join_code(host, before)
    old_teams = [repo.team_join_code(host, t) for t in before.teams]
    rotated = repo.rotate_host_code(store, host)
    assert rotated.host_code != host
    for code in (host, old_screen, *old_teams):
        with pytest.raises(InvalidCode):
            repo.open_workshop(store, code)
    with pytest.raises(InvalidCode):
        repo.open_screen(store, old_screen)
    for code in old_teams:
        with pytest.raises(InvalidCode):
            repo.join_team(store, code)
    after = repo.open_workshop(store, rotated.host_code)
    assert [t.id for t in after.teams] == [t.id for t in before.teams]  # same teams and plans
    assert [t.plan_id for t in after.teams] == [t.plan_id for t in before.teams]
    assert repo.open_screen(store, rotated.screen_code).workshop_id == before.id
    assert rotated.screen_code == repo.screen_join_code(rotated.host_code, after)
    for team in after.teams:
        code = rotated.team_codes[team.id]
        assert code == repo.team_join_code(rotated.host_code, team)
        assert repo.join_team(store, code).team.id == team.id


def test_rotating_the_screen_code_changes_only_the_screen(
    store: Store, agenda: Agenda, catalogue: Catalogue
) -> None:
    host = _make(store, agenda, catalogue)
    workshop = repo.open_workshop(store, host)
    old = repo.screen_join_code(host, workshop)
    team = repo.team_join_code(host, workshop.teams[0])
    new = repo.rotate_screen_code(store, host)
    assert new != old
    with pytest.raises(InvalidCode):
        repo.open_screen(store, old)
    assert repo.open_screen(store, new).workshop_id == workshop.id
    assert repo.screen_join_code(host, repo.open_workshop(store, host)) == new
    assert repo.join_team(store, team).team.id == workshop.teams[0].id
    # Only the facilitator rotates: a team code or the screen code opens no control.
    for other in (team, new):
        with pytest.raises(InvalidCode):
            repo.rotate_screen_code(store, other)
        with pytest.raises(InvalidCode):
            repo.rotate_host_code(store, other)
        with pytest.raises(InvalidCode):
            repo.rotate_team_code(store, other, workshop.teams[0].id)


def test_quotas_bound_workshops_and_teams(
    store: Store, agenda: Agenda, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_MAX_WORKSHOPS", "1")
    monkeypatch.setenv("QUNCE_MAX_TEAMS_PER_WORKSHOP", "3")
    settings.cache_clear()
    with pytest.raises(InvalidValue, match=r"at most 3 teams.*QUNCE_MAX_TEAMS_PER_WORKSHOP"):
        _make(store, agenda, catalogue, teams=4)
    host = _make(store, agenda, catalogue, teams=2)
    with pytest.raises(InvalidValue, match=r"holds 1 workshops.*QUNCE_MAX_WORKSHOPS=1"):
        _make(store, agenda, catalogue, teams=1)
    with pytest.raises(InvalidValue, match="it has 2 already, so 2 more do not fit"):
        repo.add_teams(store, host, ["C", "D"], catalogue)
    assert len(repo.add_teams(store, host, ["C"], catalogue).teams) == 3
    with store.session() as session:
        assert len(session.scalars(select(WorkshopRow)).all()) == 1


def test_teams_count_against_the_workspace_quota(
    store: Store, agenda: Agenda, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_MAX_WORKSPACES", "3")
    settings.cache_clear()
    create_workspace(store, "Someone else")
    with pytest.raises(InvalidValue, match=r"holds 1 workspaces.*QUNCE_MAX_WORKSPACES"):
        _make(store, agenda, catalogue, teams=3)
    _make(store, agenda, catalogue, teams=2)


def test_last_use_is_written_at_most_hourly(
    store: Store, agenda: Agenda, catalogue: Catalogue
) -> None:
    host = _make(store, agenda, catalogue)
    workshop = repo.open_workshop(store, host)
    assert workshop.last_used_at is not None
    long_ago = utcnow() - timedelta(days=3)
    recent = utcnow() - timedelta(minutes=10)

    def set_last(value: object) -> None:
        with store.session(write=True) as session:
            session.execute(
                update(WorkshopRow).where(WorkshopRow.id == workshop.id).values(last_used_at=value)
            )

    def last() -> object:
        with store.session() as session:
            return session.get(WorkshopRow, workshop.id).last_used_at  # type: ignore[union-attr]

    set_last(recent)
    repo.open_workshop(store, host)
    assert last() == recent  # opened within the hour: no write
    for opener in (
        lambda: repo.open_workshop(store, host),
        lambda: repo.open_screen(store, repo.screen_join_code(host, workshop)),
        lambda: repo.join_team(store, repo.team_join_code(host, workshop.teams[0])),
    ):
        set_last(long_ago)
        opener()
        found = last()
        assert isinstance(found, type(long_ago)) and found > utcnow() - timedelta(minutes=1)
    set_last(None)
    repo.open_screen(store, repo.screen_join_code(host, workshop))
    assert last() is not None
