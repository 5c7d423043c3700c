"""The live board: teams × playbooks, each cell the share of a team's counted items done, and the
closing summary (steps most teams skipped or left open).

A fragment asks `board_stamp` (one aggregate query) every BOARD_STAMP_S seconds and reruns the
page only when the stamp changed, so a tick shows within about a second while an idle board
costs one small query a second.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from qunce.content.catalogue import Catalogue
from qunce.db.errors import PlanError
from qunce.ui.i18n import lang, tr
from qunce.ui.workshop.common import BOARD_STAMP_S, fail
from qunce.ui.workspace import store
from qunce.workshop.board import Board, board_stamp, playbook_titles, read_board
from qunce.workshop.records import Workshop

STAMP_KEY = "workshop.board.stamp"


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def board_columns(board: Board) -> list[tuple[str, str]]:
    """(column name, full playbook title) for each playbook column: numbered, kept short."""
    return [
        (f"{n}. {_short(title.get(lang()))}", title.get(lang()))
        for n, (_pid, title) in enumerate(board.playbooks, start=1)
    ]


def board_frame(board: Board) -> pd.DataFrame:
    """The board as a table: one row per team, a progress column (0-100 %) per playbook."""
    columns = board_columns(board)
    records: list[dict[str, Any]] = []
    for progress in board.teams:
        row: dict[str, Any] = {tr("小组", "Team"): progress.team.name}
        row[tr("总进度", "Overall")] = round(100 * progress.total.ratio)
        row[tr("已完成", "Done")] = f"{progress.total.done}/{progress.total.counted}"
        for (playbook_id, _title), (name, _full) in zip(board.playbooks, columns, strict=True):
            found = progress.by_playbook.get(playbook_id)
            row[name] = round(100 * found.ratio) if found else 0
        row[tr("最近更新", "Last change")] = (
            progress.last_change.astimezone().strftime("%H:%M:%S") if progress.last_change else ""
        )
        records.append(row)
    return pd.DataFrame.from_records(records)


def board_view(workshop: Workshop, cat: Catalogue) -> None:
    """The board, redrawn within about a second of any tick (the stamp decides)."""
    try:
        st.session_state[STAMP_KEY] = board_stamp(store(), workshop)
        board = read_board(store(), workshop, playbook_titles(workshop.agenda, cat.items))
    except PlanError as exc:
        fail(exc)
        return
    show_board(board)

    @st.fragment(run_every=BOARD_STAMP_S)
    def watch() -> None:
        try:
            now = board_stamp(store(), workshop)
        except PlanError:
            return  # the next look tries again; the board stays as it was
        if now != st.session_state.get(STAMP_KEY):
            st.rerun()

    watch()


def show_board(board: Board) -> None:
    """Render a board: metrics, the table, and the steps most teams skipped or left open."""
    teams = len(board.teams)
    done = sum(t.total.done for t in board.teams)
    counted = sum(t.total.counted for t in board.teams)
    cols = st.columns(3)
    cols[0].metric(tr("小组", "Teams"), teams)
    cols[1].metric(tr("已完成条目", "Items done"), done)
    cols[2].metric(tr("全场进度", "Room progress"), f"{(done / counted if counted else 0):.0%}")
    frame = board_frame(board)
    progress_columns = [(tr("总进度", "Overall"), tr("全部条目", "All items"))]
    progress_columns += board_columns(board)
    config = {
        name: st.column_config.ProgressColumn(
            name, help=full, min_value=0, max_value=100, format="%d%%", width="small"
        )
        for name, full in progress_columns
    }
    st.dataframe(frame, hide_index=True, column_config=config, key="workshop.board.table")
    st.caption(
        tr(
            f"有人勾选后约 1 秒内自动更新 · {datetime.now().strftime('%H:%M:%S')}",
            f"Updates by itself within about a second of a tick · "
            f"{datetime.now().strftime('%H:%M:%S')}",
        )
    )
    st.subheader(
        tr(
            "收尾总结：多数组跳过或未完成的步骤",
            "Closing summary: steps most teams skipped or left open",
        )
    )
    summary = board.closing_summary()
    if not summary:
        st.caption(
            tr(
                "目前没有多数组都没完成的步骤。",
                "No step is skipped or open for most teams right now.",
            )
        )
        return
    titles = dict(board.playbooks)
    rows = [
        {
            tr("方法", "Playbook"): titles[s.playbook_id].get(lang())
            if s.playbook_id in titles
            else s.playbook_id,
            tr("步骤", "Step"): s.title.get(lang()),
            tr("跳过", "Skipped"): s.skipped,
            tr("未完成", "Open"): s.open,
            tr("已完成", "Done"): s.done,
        }
        for s in summary
    ]
    st.dataframe(pd.DataFrame.from_records(rows), hide_index=True, key="workshop.board.summary")
