"""Workshops in the database (sqlite and postgres): teams, codes, controls, board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from qunce.content.catalogue import Catalogue
from qunce.content.schema import Playbook
from qunce.db.errors import InvalidCode, InvalidValue, NotFound
from qunce.db.store import Store
from qunce.plans.models import ItemRow, PlanRow, WorkspaceRow
from qunce.plans.repository import get_plan, update_item
from qunce.plans.workspaces import workspace_by_code
from qunce.workshop.agenda import Agenda, Block
from qunce.workshop.board import playbook_titles, read_board
from qunce.workshop.deck import build_deck
from qunce.workshop.models import WorkshopRow
from qunce.workshop.repository import (
    add_teams,
    create_workshop,
    default_team_names,
    delete_workshop,
    get_stage,
    go_to,
    join_team,
    open_screen,
    open_workshop,
    rename_team,
    restart_timer,
    rotate_team_code,
    screen_join_code,
    set_display_lang,
    team_join_code,
    update_agenda,
)
from tests.workshop.conftest import START


def _steps(catalogue: Catalogue, playbook_id: str) -> list[str]:
    book = catalogue.items[playbook_id]
    assert isinstance(book, Playbook)
    return [s.id for s in book.steps]


@pytest.fixture
def workshop(store: Store, agenda: Agenda, catalogue: Catalogue) -> tuple[str, list[str]]:
    """A workshop with two teams: (facilitator code, [team codes])."""
    made, host = create_workshop(
        store, agenda, catalogue, ["红队", "Blue team"], start_date=START, author="Trainer"
    )
    return host, [team_join_code(host, t) for t in made.teams]


def test_teams_get_plans_built_from_the_agendas_playbooks(
    store: Store, catalogue: Catalogue, workshop: tuple[str, list[str]]
) -> None:
    host, _codes = workshop
    opened = open_workshop(store, host)
    assert [t.name for t in opened.teams] == ["红队", "Blue team"]
    assert [b.item for b in opened.agenda.blocks] == [
        "launch-rules",
        "xiaomi-fans",
        "qr-code-scenarios",
    ]
    assert opened.agenda.blocks[1].note == "问：谁是你的前 100 个用户？"
    expected = _steps(catalogue, "launch-rules") + _steps(catalogue, "qr-code-scenarios")
    for team in opened.teams:
        assert team.plan_id is not None
        plan = get_plan(store, team.workspace_id, team.plan_id)
        assert [i.step_id for i in plan.items] == expected
        assert [s.playbook_id for s in plan.sources] == ["launch-rules", "qr-code-scenarios"]
        assert plan.start_date == START
    # The two teams are separate workspaces: one's plan is not visible from the other.
    first, second = opened.teams
    assert first.plan_id is not None
    with pytest.raises(NotFound):
        get_plan(store, second.workspace_id, first.plan_id)


def test_codes_open_exactly_what_they_are_for(
    store: Store, catalogue: Catalogue, workshop: tuple[str, list[str]]
) -> None:
    host, codes = workshop
    opened = open_workshop(store, host)
    access = join_team(store, codes[0])
    assert access.team.name == "红队"
    assert access.stage.workshop_id == opened.id
    # A team code is an ordinary workspace code too, so the Launch plans page opens it.
    assert workspace_by_code(store, codes[1]).name == "Blue team"
    # ...but it never opens the facilitator's controls, nor the host code a team.
    for code in codes:
        with pytest.raises(InvalidCode):
            open_workshop(store, code)
        with pytest.raises(InvalidCode):
            go_to(store, code, 3, build_deck(opened.agenda, catalogue))
    with pytest.raises(InvalidCode):
        join_team(store, host)
    screen = screen_join_code(host, opened)
    assert open_screen(store, screen).workshop_id == opened.id
    with pytest.raises(InvalidCode):
        open_workshop(store, screen)
    with pytest.raises(InvalidCode):
        join_team(store, screen)
    with pytest.raises(InvalidCode):
        open_workshop(store, "not a code at all")


def test_only_digests_are_stored(store: Store, workshop: tuple[str, list[str]]) -> None:
    host, codes = workshop
    with store.session() as session:
        dumped = " ".join(
            str(v) for row in session.execute(select(WorkshopRow.__table__)).all() for v in row
        ) + " ".join(session.scalars(select(WorkspaceRow.code_hash)).all())
    for code in [host, *codes]:
        assert code not in dumped


def test_team_links_can_be_printed_again_and_rotated(
    store: Store, workshop: tuple[str, list[str]]
) -> None:
    host, codes = workshop
    again = open_workshop(store, host)
    assert [team_join_code(host, t) for t in again.teams] == codes
    team = again.teams[0]
    rotated = rotate_team_code(store, host, team.id)
    new_code = team_join_code(host, rotated.teams[0])
    assert new_code != codes[0]
    with pytest.raises(InvalidCode):
        join_team(store, codes[0])
    assert join_team(store, new_code).team.id == team.id
    assert join_team(store, codes[1]).team.name == "Blue team"


def test_add_and_rename_teams(
    store: Store, catalogue: Catalogue, workshop: tuple[str, list[str]]
) -> None:
    host, _codes = workshop
    grown = add_teams(store, host, ["Team 3"], catalogue)
    assert [t.name for t in grown.teams] == ["红队", "Blue team", "Team 3"]
    assert grown.teams[2].plan_id is not None
    renamed = rename_team(store, host, grown.teams[2].id, "  Tigers ")
    assert renamed.teams[2].name == "Tigers"
    with pytest.raises(InvalidValue):
        add_teams(store, host, ["   "], catalogue)


def test_presenting_moves_the_stage_and_times_blocks(
    store: Store, agenda: Agenda, catalogue: Catalogue, workshop: tuple[str, list[str]]
) -> None:
    host, _codes = workshop
    deck = build_deck(agenda, catalogue)
    opened = open_workshop(store, host)
    assert opened.stage.slide == 0 and opened.stage.block_started_at is None
    moved = go_to(store, host, 1, deck)
    started = moved.stage.block_started_at
    assert moved.stage.slide == 1 and started is not None
    same_block = go_to(store, host, 2, deck)
    assert same_block.stage.block_started_at == started  # a step of the same block
    case = deck.first_of_block(1)
    next_block = go_to(store, host, case, deck)
    assert next_block.stage.block_started_at is not None
    assert next_block.stage.block_started_at >= started
    assert get_stage(store, opened.id).slide == case
    end = go_to(store, host, 10_000, deck)
    assert end.stage.slide == len(deck.slides) - 1
    assert end.stage.block_started_at is None  # the wrap-up has no block timer
    assert go_to(store, host, -5, deck).stage.slide == 0
    restarted = restart_timer(store, host)
    assert restarted.stage.block_started_at is not None
    assert restarted.stage.elapsed(
        restarted.stage.block_started_at + timedelta(minutes=3)
    ) == timedelta(minutes=3)


def test_display_language_is_shared(store: Store, workshop: tuple[str, list[str]]) -> None:
    host, codes = workshop
    set_display_lang(store, host, "both")
    assert join_team(store, codes[0]).stage.display_lang == "both"
    with pytest.raises(InvalidValue):
        set_display_lang(store, host, "fr")


def test_agenda_can_be_retimed_but_keeps_its_playbooks(
    store: Store, agenda: Agenda, catalogue: Catalogue, workshop: tuple[str, list[str]]
) -> None:
    host, _codes = workshop
    retimed = Agenda(
        title="新标题",
        blocks=(
            Block(item="qr-code-scenarios", minutes=20),
            Block(item="launch-rules", minutes=25, note="先讲这个"),
            Block(item="starbucks-wechat-qr", minutes=10),
        ),
    )
    saved = update_agenda(store, host, retimed, catalogue)
    assert saved.title == "新标题"
    assert [(b.item, b.minutes) for b in saved.agenda.blocks] == [
        ("qr-code-scenarios", 20),
        ("launch-rules", 25),
        ("starbucks-wechat-qr", 10),
    ]
    changed = Agenda(title="x", blocks=(Block(item="launch-rules", minutes=5),))
    with pytest.raises(InvalidValue, match="playbooks"):
        update_agenda(store, host, changed, catalogue)


def test_creating_refuses_bad_input_and_leaves_nothing(store: Store, catalogue: Catalogue) -> None:
    bad = Agenda(title="x", blocks=(Block(item="no-such-playbook", minutes=5),))
    with pytest.raises(InvalidValue):
        create_workshop(store, bad, catalogue, ["A"], start_date=START)
    good = Agenda(title="x", blocks=(Block(item="launch-rules", minutes=5),))
    with pytest.raises(InvalidValue):
        create_workshop(store, good, catalogue, [], start_date=START)
    with pytest.raises(InvalidValue):
        create_workshop(store, good, catalogue, ["A"] * 41, start_date=START)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(WorkshopRow)) == 0
        assert session.scalar(select(func.count()).select_from(WorkspaceRow)) == 0


def test_delete_takes_the_teams_with_it(store: Store, workshop: tuple[str, list[str]]) -> None:
    host, codes = workshop
    delete_workshop(store, host)
    with pytest.raises(InvalidCode):
        open_workshop(store, host)
    with pytest.raises(InvalidCode):
        join_team(store, codes[0])
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(PlanRow)) == 0
        assert session.scalar(select(func.count()).select_from(ItemRow)) == 0


def test_board_counts_every_teams_ticks(
    store: Store, agenda: Agenda, catalogue: Catalogue, workshop: tuple[str, list[str]]
) -> None:
    host, _codes = workshop
    opened = open_workshop(store, host)
    red, blue = opened.teams
    assert red.plan_id is not None and blue.plan_id is not None
    red_plan = get_plan(store, red.workspace_id, red.plan_id)
    blue_plan = get_plan(store, blue.workspace_id, blue.plan_id)
    for item in red_plan.items[:3]:
        update_item(
            store, red.workspace_id, item.id, {"status": "done"}, expected_version=item.version
        )
    first_blue = blue_plan.items[0]
    update_item(
        store,
        blue.workspace_id,
        first_blue.id,
        {"status": "done"},
        expected_version=first_blue.version,
    )
    skipped = blue_plan.items[1]
    update_item(
        store,
        blue.workspace_id,
        skipped.id,
        {"status": "skipped"},
        expected_version=skipped.version,
    )
    board = read_board(store, opened, playbook_titles(opened.agenda, catalogue.items))
    assert [p for p, _ in board.playbooks] == ["launch-rules", "qr-code-scenarios"]
    by_name = {t.team.name: t for t in board.teams}
    assert by_name["红队"].by_playbook["launch-rules"].done == 3
    assert by_name["红队"].by_playbook["qr-code-scenarios"].done == 0
    assert by_name["Blue team"].by_playbook["launch-rules"].done == 1
    assert by_name["Blue team"].by_playbook["launch-rules"].skipped == 1
    assert by_name["Blue team"].total.total == len(blue_plan.items)
    steps = {s.step_id: s for s in board.steps}
    first, second, third = (i.step_id for i in red_plan.items[:3])
    assert steps[first].done == 2
    assert (steps[second].done, steps[second].skipped) == (1, 1)
    summary = board.closing_summary()
    summary_ids = [s.step_id for s in summary]
    assert first not in summary_ids  # both teams finished it
    assert second not in summary_ids  # one of two teams is not "most"
    assert third not in summary_ids
    assert red_plan.items[3].step_id in summary_ids  # nobody did it
    assert summary[0].not_done == 2


def test_default_team_names() -> None:
    assert default_team_names(2, "zh") == ["第 1 组", "第 2 组"]
    assert default_team_names(2, "en") == ["Team 1", "Team 2"]
