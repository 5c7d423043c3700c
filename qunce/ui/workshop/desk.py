"""The trainer's desk: the workshop's title, the reach warning, the view switch (Present, Teams,
Board, Agenda, Export) and each view; focus mode hides all but the presenter.

The view lives in its own session key (VIEW_KEY), apart from its widget: a widget that is not
drawn in a run (focus mode hides the switch) loses its state, and the desk must not fall back
to another view when focus mode ends. The switch needs a selection (`required`), so clicking
the selected view keeps it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qunce.content.catalogue import Catalogue
from qunce.db.errors import InvalidCode, PlanError
from qunce.ui.content import catalogue
from qunce.ui.i18n import lang, tr
from qunce.ui.keyring import keyring
from qunce.ui.workshop.board import board_view
from qunce.ui.workshop.common import (
    CREATED_KEY,
    LANG_LABELS,
    VIEW_KEY,
    deck_for,
    fail,
    link_base,
    show_flash,
    style,
)
from qunce.ui.workshop.landing import item_label, landing, set_host
from qunce.ui.workshop.presenter import FOCUS_KEY, presenter
from qunce.ui.workshop.slides import md
from qunce.ui.workshop.teams import entries, reach_warning, rotated_banner, teams_view
from qunce.ui.workspace import store
from qunce.workshop import repository as repo
from qunce.workshop.agenda import MAX_MINUTES, Agenda, Block
from qunce.workshop.deck import DISPLAY_LANGS, Deck, DisplayLang
from qunce.workshop.files import deck_filename, export_name, report_filename
from qunce.workshop.handout import handout_markdown
from qunce.workshop.links import host_link
from qunce.workshop.pptx_export import deck_pptx
from qunce.workshop.qr import join_sheet_html
from qunce.workshop.records import Workshop
from qunce.workshop.report import build_report, report_markdown, report_xlsx

VIEWS = ("present", "teams", "board", "agenda", "export")
VIEW_WIDGET = "workshop.host.view"


def view_label(view: str) -> str:
    """The view's name in the switch."""
    return {
        "present": tr("演示", "Present"),
        "teams": tr("小组与二维码", "Teams & QR codes"),
        "board": tr("进度看板", "Board"),
        "agenda": tr("议程", "Agenda"),
        "export": tr("导出", "Export"),
    }[view]


def _switched() -> None:
    chosen = st.session_state.get(VIEW_WIDGET)
    if chosen in VIEWS:
        st.session_state[VIEW_KEY] = chosen


def host_desk(code: str) -> None:
    """The facilitator's controls for the workshop that `code` opens."""
    try:
        workshop = repo.open_workshop(store(), code)
    except InvalidCode:
        set_host(None)
        keyring().drop("host", code)
        st.warning(tr("这个工作坊已不存在，或主持码已被更换。",
                      "This workshop does not exist any more, or its facilitator code was replaced."))  # fmt: skip
        landing()
        return
    except PlanError as exc:
        fail(exc)
        return
    cat = catalogue()
    view = st.session_state.get(VIEW_KEY)
    if view not in VIEWS:
        view = st.session_state[VIEW_KEY] = "present"
    focus = view == "present" and bool(st.session_state.get(FOCUS_KEY))
    style(bare=focus)
    if not focus:
        head = st.columns([5, 1], vertical_alignment="center")
        head[0].markdown(f"### {md(workshop.title)}")
        if head[1].button(
            tr("离开", "Leave"),
            key="workshop.host.leave",
            help=tr("在此浏览器中忘记主持码", "Forget the facilitator code in this browser"),
        ):
            keyring().drop("host", code)
            set_host(None)
            st.rerun()
        _created_banner(code, workshop)
        rotated_banner(workshop)
        st.session_state[VIEW_WIDGET] = view
        st.segmented_control(
            tr("视图", "View"),
            VIEWS,
            format_func={v: view_label(v) for v in VIEWS}.__getitem__,
            key=VIEW_WIDGET,
            on_change=_switched,
            required=True,
            label_visibility="collapsed",
        )
        if view != "teams":
            reach_warning(workshop, compact=view == "present")
    show_flash()
    if view == "present":
        presenter(code, workshop)
    elif view == "teams":
        teams_view(code, workshop, cat)
    elif view == "board":
        board_view(workshop, cat)
    elif view == "agenda":
        agenda_view(code, workshop, cat)
    else:
        export_view(code, workshop, deck_for(workshop.agenda, cat), cat)


def _created_banner(code: str, workshop: Workshop) -> None:
    if st.session_state.get(CREATED_KEY) != code:
        return
    with st.container(border=True):
        st.success(tr("工作坊已创建。", "Workshop created."))
        st.markdown(
            tr(
                "**主持码**：请现在保存（只显示这一次）。凭它可随时回到这些控制；小组的加入码打不开这里。",
                "**Facilitator code**: save it now (shown only this once). It brings you back to "
                "these controls; a team's join code cannot open them.",
            )
        )
        st.code(code, language=None)
        st.caption(tr("主持链接（请勿投屏）：", "Facilitator link (do not project it):"))
        st.code(host_link(code, lang(), base=link_base(workshop.id)), language=None)
        if st.button(tr("我已保存", "I saved it"), key="workshop.host.saved"):
            st.session_state[CREATED_KEY] = None
            st.rerun()


def agenda_view(code: str, workshop: Workshop, cat: Catalogue) -> None:
    """The saved agenda; minutes, notes and order can change (the playbooks stay)."""
    agenda = workshop.agenda
    starts = agenda.starts()
    rows = [
        {
            "order": n + 1,
            "item": b.item,
            "title": item_label(cat, b.item),
            "start": starts[n],
            "minutes": b.minutes,
            "note": b.note,
        }
        for n, b in enumerate(agenda.blocks)
    ]
    edited = st.data_editor(
        pd.DataFrame.from_records(rows),
        key="workshop.agenda.editor",
        hide_index=True,
        num_rows="fixed",
        disabled=["item", "title", "start"],
        column_config={
            "order": st.column_config.NumberColumn(tr("顺序", "Order"), min_value=1, step=1),
            "item": None,
            "title": st.column_config.TextColumn(tr("内容", "Topic")),
            "start": st.column_config.NumberColumn(tr("开始（分钟）", "Starts (min)")),
            "minutes": st.column_config.NumberColumn(
                tr("分钟", "Minutes"), min_value=1, max_value=MAX_MINUTES, step=1
            ),
            "note": st.column_config.TextColumn(tr("演讲者备注", "Speaker note"), max_chars=2000),
        },
    )
    st.caption(tr(f"合计 {agenda.minutes} 分钟", f"{agenda.minutes} minutes in all"))
    if st.button(tr("保存议程", "Save agenda"), key="workshop.agenda.save"):
        ordered = edited.sort_values(["order"], kind="stable")
        try:
            blocks = tuple(
                Block(item=str(r["item"]), minutes=int(r["minutes"]), note=str(r["note"] or ""))
                for r in ordered.to_dict("records")
            )
            repo.update_agenda(store(), code, Agenda(title=agenda.title, blocks=blocks), cat)
        except PlanError as exc:
            fail(exc)
        except (ValueError, TypeError) as exc:
            st.error(str(exc))
        else:
            st.rerun()


def export_view(code: str, workshop: Workshop, deck: Deck, cat: Catalogue) -> None:
    """Download the deck (PPTX), the handout (Markdown), the join sheet and the report."""
    choice = st.segmented_control(
        tr("文件语言", "Language of the files"),
        DISPLAY_LANGS,
        format_func=lambda v: LANG_LABELS[v],
        default=lang(),
        key="workshop.export.lang",
        required=True,
    )
    display: DisplayLang = choice if choice in DISPLAY_LANGS else lang()
    title = workshop.title
    st.markdown(f"**{tr('课前与课上', 'Before and during the workshop')}**")
    cols = st.columns(3)
    cols[0].download_button(
        tr("演示文稿 PPTX", "Slide deck (PPTX)"),
        data=lambda: deck_pptx(deck, display),
        file_name=deck_filename(title, display),
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="workshop.export.pptx",
        on_click="ignore",
    )
    cols[1].download_button(
        tr("讲义 Markdown", "Handout (Markdown)"),
        data=lambda: handout_markdown(workshop.agenda, cat, display).encode("utf-8"),
        file_name=export_name(title, "handout", display, "md"),
        mime="text/markdown",
        key="workshop.export.md",
        on_click="ignore",
    )
    cols[2].download_button(
        tr("小组二维码打印页", "Team QR sheet (HTML)"),
        data=join_sheet_html(title, entries(code, workshop), lang()),
        file_name=export_name(title, "teams", lang(), "html"),
        mime="text/html",
        key="workshop.export.sheet",
        on_click="ignore",
    )
    st.caption(
        tr(
            f"{len(deck.slides)} 页：标题页、每个方法的开场页和每一步一页、讨论与练习页、每个案例一页、总结页；备注在演讲者备注里。",
            f"{len(deck.slides)} slides: a title slide, an opening slide and one slide per step "
            "for each playbook, its discussion and exercise, one per case, and a wrap-up; the "
            "notes are in the speaker notes.",
        )
    )
    report_lang = "en" if display == "en" else "zh"
    st.markdown(f"**{tr('课后：工作坊报告', 'After the workshop: the report')}**")
    st.caption(
        tr(
            "议程、各组进度、每一步各组的状态、每次投票的结果。",
            "The agenda, each team's progress, every step's state per team, every poll's results.",
        )
    )
    cols = st.columns(3)
    cols[0].download_button(
        tr("报告 Markdown", "Report (Markdown)"),
        data=lambda: report_markdown(build_report(store(), code, cat), report_lang).encode("utf-8"),
        file_name=report_filename(title, report_lang, "md"),
        mime="text/markdown",
        key="workshop.export.report_md",
        on_click="ignore",
    )
    cols[1].download_button(
        tr("报告 XLSX", "Report (XLSX)"),
        data=lambda: report_xlsx(build_report(store(), code, cat), report_lang),
        file_name=report_filename(title, report_lang, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="workshop.export.report_xlsx",
        on_click="ignore",
    )
