"""Polls (sqlite and postgres): the trainer asks, two team phones answer, the results add up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qunce.content.catalogue import Catalogue
from qunce.db.errors import InvalidCode, InvalidValue, NotFound
from qunce.db.store import Store
from qunce.workshop.agenda import Agenda
from qunce.workshop.charts import case_figure, poll_figure, summary_line
from qunce.workshop.deck import Bi, Chart, Figure
from qunce.workshop.polls import (
    Poll,
    PollResults,
    answer_poll,
    check_answer,
    check_poll,
    close_poll,
    list_polls,
    live_poll,
    open_poll,
    team_poll,
)
from qunce.workshop.repository import create_workshop, open_workshop, team_join_code
from tests.workshop.conftest import START


@pytest.fixture
def room(store: Store, agenda: Agenda, catalogue: Catalogue) -> tuple[str, list[str], str]:
    """(facilitator code, [red code, blue code], workshop id)."""
    made, host = create_workshop(store, agenda, catalogue, ["红队", "Blue"], start_date=START)
    return host, [team_join_code(host, t) for t in made.teams], made.id


def test_a_choice_poll_with_two_team_phones(store: Store, room: tuple[str, list[str], str]) -> None:
    host, (red, blue), workshop_id = room
    poll = open_poll(
        store, host, "choice", "先做哪一步？", ["建群", "定规则", "找种子用户"],
        slide_key="step:launch-rules:x",
    )  # fmt: skip
    assert poll.is_open and poll.options == ("建群", "定规则", "找种子用户")
    red_phone = team_poll(store, workshop_id, open_workshop(store, host).teams[0].id)
    assert red_phone.poll == poll and red_phone.mine is None
    answer_poll(store, red, poll.id, choice=1, author="Mei")
    answer_poll(store, blue, poll.id, choice=2)
    answer_poll(store, red, poll.id, choice=2, author="Mei")  # changed its mind
    live = live_poll(store, workshop_id)
    assert live is not None
    assert (live.answered, live.teams, live.counts) == (2, 2, (0, 0, 2))
    red_team = open_workshop(store, host).teams[0]
    mine = team_poll(store, workshop_id, red_team.id).mine
    assert mine is not None and (mine.choice, mine.author) == (2, "Mei")
    closed = close_poll(store, host, poll.id)
    assert not closed.poll.is_open and closed.counts == (0, 0, 2)
    with pytest.raises(InvalidValue, match="closed this poll"):
        answer_poll(store, blue, poll.id, choice=0)
    assert team_poll(store, workshop_id, red_team.id).poll is None
    still = live_poll(store, workshop_id)  # the results stay on the slide it was asked from
    assert still is not None and still.poll.slide_key == "step:launch-rules:x"
    assert close_poll(store, host, poll.id).poll.closed_at == closed.poll.closed_at


def test_scale_and_text_polls(store: Store, room: tuple[str, list[str], str]) -> None:
    host, (red, blue), workshop_id = room
    scale = open_poll(store, host, "scale", "How ready is your group?")
    answer_poll(store, red, scale.id, choice=4)
    answer_poll(store, blue, scale.id, choice=1)
    results = live_poll(store, workshop_id)
    assert results is not None and results.counts == (1, 0, 0, 1, 0)
    assert results.mean == 2.5
    with pytest.raises(InvalidValue, match="from 1 to 5"):
        answer_poll(store, red, scale.id, choice=6)
    text = open_poll(store, host, "text", "一句话说说你们的定位")
    assert live_poll(store, workshop_id).poll.id == text.id  # type: ignore[union-attr]
    # Opening the text poll closed the scale poll.
    assert [p.poll.is_open for p in list_polls(store, host)] == [False, True]
    answer_poll(store, blue, text.id, text="  给宝妈的\x00本地团购群  ")
    with pytest.raises(InvalidValue, match="at most 200"):
        answer_poll(store, red, text.id, text="长" * 201)
    with pytest.raises(InvalidValue, match="short text, not a choice"):
        answer_poll(store, red, text.id, choice=1)
    results = live_poll(store, workshop_id)
    assert results is not None and results.texts == (("Blue", "给宝妈的本地团购群"),)


def test_only_the_right_codes_open_close_and_answer(
    store: Store, room: tuple[str, list[str], str], agenda: Agenda, catalogue: Catalogue
) -> None:
    host, (red, _blue), _workshop_id = room
    with pytest.raises(InvalidCode):
        open_poll(store, red, "scale", "A team cannot ask")
    poll = open_poll(store, host, "scale", "Q")
    with pytest.raises(InvalidCode):
        close_poll(store, red, poll.id)
    with pytest.raises(InvalidCode):
        answer_poll(store, host, poll.id, choice=3)  # the facilitator code is no team's code
    with pytest.raises(InvalidCode):
        answer_poll(store, "not a code", poll.id, choice=3)
    other, other_host = create_workshop(store, agenda, catalogue, ["X"], start_date=START)
    stranger = team_join_code(other_host, other.teams[0])
    with pytest.raises(NotFound):
        answer_poll(store, stranger, poll.id, choice=3)
    with pytest.raises(NotFound):
        close_poll(store, other_host, poll.id)
    assert list_polls(store, other_host) == []


def test_poll_validation_names_the_problem() -> None:
    assert check_poll("choice", " Q ", ["a", "b"]) == ("choice", "Q", ("a", "b"))
    with pytest.raises(InvalidValue, match="kind"):
        check_poll("vote", "Q", [])
    with pytest.raises(InvalidValue, match="2 to 8 options; it has 1"):
        check_poll("choice", "Q", ["only"])
    with pytest.raises(InvalidValue, match="the same"):
        check_poll("choice", "Q", ["Yes", "yes"])
    with pytest.raises(InvalidValue, match="no options"):
        check_poll("scale", "Q", ["x", "y"])
    with pytest.raises(InvalidValue, match="question is empty"):
        check_poll("text", "\x07 ", [])
    with pytest.raises(InvalidValue, match="at most 300"):
        check_poll("text", "q" * 301, [])
    poll = Poll(1, "w", "choice", "Q", ("a", "b"), "", datetime.now(UTC), None)
    assert check_answer(poll, 1, None) == (1, "")
    for bad in (2, -1, True):
        with pytest.raises(InvalidValue):
            check_answer(poll, bad, None)


def _results(kind: str, options: tuple[str, ...], answers: list[int | None]) -> PollResults:
    from qunce.workshop.polls import Answer

    now = datetime.now(UTC)
    poll = Poll(1, "w", kind, "<b>Which</b> first?", options, "", now, None)  # type: ignore[arg-type]
    return PollResults(
        poll, 3, tuple(Answer(n, f"T{n}", c, "", "", now) for n, c in enumerate(answers))
    )


def test_the_figure_escapes_labels_and_counts_right() -> None:
    figure = poll_figure(_results("choice", ("<img src=x>", "定规则"), [0, 0, 1]), "en")
    assert figure is not None
    bar = figure.data[0]
    assert list(bar.x) == [2, 1]
    assert "<img" not in " ".join(bar.y) and "&lt;img src=x&gt;" in bar.y[0]
    assert "&lt;b&gt;Which" in figure.layout.title.text
    scale = poll_figure(_results("scale", (), [5, 3]), "zh")
    assert scale is not None and list(scale.data[0].y) == [0, 0, 1, 0, 1]
    assert "平均 4.0" in summary_line(_results("scale", (), [5, 3]), "zh")
    assert poll_figure(_results("text", (), []), "en") is None
    assert summary_line(_results("scale", (), [5]), "en").startswith("1 of 3 teams answered")


def test_a_case_chart_draws_as_plotly_bars() -> None:
    chart = Chart(
        Bi("用户", "users"),
        (Figure(Bi("内测", "<i>Beta</i>"), 100, Bi("用户", "users")),
         Figure(Bi("月活", "MAU"), 1e8, Bi("用户", "users"), illustration=True)),
    )  # fmt: skip
    figure = case_figure(chart, "en")
    assert list(figure.data[0].x) == [100, 1e8]
    assert figure.data[0].text == ("100", "100,000,000")
    assert "&lt;i&gt;Beta" in figure.data[0].y[0] and "(illustration)" in figure.data[0].y[1]
    assert figure.layout.title.text == "In users"


def test_poll_and_answer_errors_speak_chinese_too() -> None:
    from qunce.workshop.polls import check_poll

    for kind, question, options, zh in (
        ("choice", "  ", ["a", "b"], "问题是空的"),
        ("choice", "先做哪一步？", ["a"], "单选题要有 2 到 8 个选项"),
        ("choice", "先做哪一步？", ["a", "A"], "有两个选项相同"),
        ("scale", "打几分？", ["a"], "没有选项"),
        ("choice", "先做哪一步？", ["a", "x" * 101], "选项 2有 101 个字符"),
    ):
        with pytest.raises(InvalidValue) as caught:
            check_poll(kind, question, options)
        assert zh in caught.value.text("zh"), caught.value.text("zh")
        assert caught.value.text("en") == str(caught.value)
