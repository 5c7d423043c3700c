"""The workshop page's parts: agenda builder, facilitator desk, presenter, screen, board, team view.

Who sees what is decided by the code a browser session holds, never by a page switch:
- the facilitator code (typed, or `?host=` once; then kept only in the session) opens the desk;
- a screen code (`?screen=`) shows the current slide, without notes or controls;
- a team's join code (`?join=`) shows that team's checklist and what is being presented.

Everything a person typed (titles, team names, notes) is shown as escaped Markdown or inside
dataframes, never as HTML. The only HTML written here is fixed CSS and the timer's fixed script,
into which only numbers are formatted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from qunce.content.catalogue import Catalogue
from qunce.content.schema import Case
from qunce.db.base import utcnow
from qunce.db.errors import InvalidCode, PlanError, StoreUnavailable
from qunce.plans.errors import StaleEdit
from qunce.plans.records import Item, Plan
from qunce.plans.repository import get_plan, update_item
from qunce.plans.workspaces import parse_code
from qunce.ui.content import catalogue
from qunce.ui.i18n import lang, tr
from qunce.ui.keyring import keyring
from qunce.ui.workspace import set_current_workspace, show_unavailable, store
from qunce.workshop import repository as repo
from qunce.workshop.agenda import MAX_MINUTES, Agenda, Block, suggested_minutes
from qunce.workshop.board import Board, playbook_titles, read_board
from qunce.workshop.deck import DISPLAY_LANGS, Bi, Deck, DisplayLang, Slide, build_deck
from qunce.workshop.handout import handout_markdown, md_escape
from qunce.workshop.links import host_link, screen_link, team_link
from qunce.workshop.pptx_export import deck_pptx
from qunce.workshop.qr import SheetEntry, join_sheet_html, qr_png
from qunce.workshop.records import MAX_TEAMS, Stage, Team, Workshop, clock, time_left

HOST_KEY = "workshop.host_code"
CREATED_KEY = "workshop.created_code"
ORDER_KEY = "workshop.new.order"
FLASH_KEY = "workshop.flash"
PLANS_PAGE = "views/plans.py"
BOARD_REFRESH_S = 3
FOLLOW_REFRESH_S = 2
TEAM_REFRESH_S = 5
LANG_LABELS = {"zh": "中文", "en": "English", "both": "中文 + English"}

# Fixed CSS: big type for slides, a phone-friendly checklist, a bare projector screen.
_CSS = """
<style>
.st-key-workshop-slide h1 { font-size: 3rem; line-height: 1.2; }
.st-key-workshop-slide p, .st-key-workshop-slide li { font-size: 1.6rem; line-height: 1.5; }
.st-key-workshop-slide [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
.st-key-workshop-notes p { font-size: 1.05rem; }
.st-key-workshop-qr-big h2 { font-size: 2.6rem; text-align: center; }
.qunce-timer { font-size: 2.4rem; font-variant-numeric: tabular-nums; font-weight: 600; }
.qunce-timer.over { color: #b91c1c; }
.st-key-workshop-team h4 { font-size: 1.15rem; }
@media (max-width: 640px) {
  .st-key-workshop-team [data-testid="stCheckbox"] label p { font-size: 1.05rem; }
}
</style>
"""
_CSS_BARE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
.block-container { padding-top: 1.5rem; }
.st-key-workshop-slide h1 { font-size: 3.6rem; }
.st-key-workshop-slide p, .st-key-workshop-slide li { font-size: 2rem; }
</style>
"""
_TIMER = """
<div class="qunce-timer" id="qunce-timer" data-end="{end}">{text}</div>
<script>
(function () {{
  const box = document.getElementById("qunce-timer");
  if (!box) return;
  const end = Number(box.dataset.end);
  if (window.quncetimer) clearInterval(window.quncetimer);
  function tick() {{
    const left = Math.round((end - Date.now()) / 1000);
    const abs = Math.abs(left);
    const text = String(Math.floor(abs / 60)).padStart(2, "0") + ":" +
      String(abs % 60).padStart(2, "0");
    box.textContent = (left < 0 ? "-" : "") + text;
    box.classList.toggle("over", left < 0);
  }}
  tick();
  window.quncetimer = setInterval(tick, 1000);
}})();
</script>
"""


# ---------------------------------------------------------------- shared helpers


def style(bare: bool = False, wide: bool = True) -> None:
    """Add the workshop CSS; `bare` also hides the sidebar and header (projector, focus mode).

    `wide` asks for the full window width: slides and the board need it, whatever the app's
    own page config said.
    """
    if wide:
        st.set_page_config(layout="wide")
    st.html(_CSS + (_CSS_BARE if bare else ""))


def _say(bi: Bi, display: str) -> None:
    """Write a paragraph or bullet in one or both languages, escaped."""
    for index, (text, _language) in enumerate(bi.parts(display)):
        body = md_escape(text)
        if index > 0:
            body = f":gray[{body}]"
        st.markdown(f"- {body}" if bi.bullet else body)


def _title(bi: Bi, display: str) -> None:
    parts = bi.parts(display)
    st.title(md_escape(parts[0][0]), anchor=False)
    for text, _language in parts[1:]:
        st.markdown(f"### :gray[{md_escape(text)}]")


def show_slide(slide: Slide, display: str) -> None:
    """One slide in large type: kicker, title and the audience's text (never the notes)."""
    with st.container(key="workshop-slide"):
        st.caption(md_escape(slide.kicker.get(display).replace("\n", " · ")))
        _title(slide.title, display)
        for paragraph in slide.body:
            _say(paragraph, display)


def show_notes(slide: Slide, display: str) -> None:
    """The speaker notes of a slide, in a box of their own."""
    with st.container(key="workshop-notes", border=True):
        st.markdown(
            f"**{tr('演讲者备注（观众屏幕不显示）', 'Speaker notes (not on the audience screen)')}**"
        )
        for note in slide.notes:
            _say(Bi(note.zh, note.en, bullet=True), display)


def show_timer(stage: Stage, deck: Deck, slide: Slide) -> None:
    """The block timer: counts down the block's minutes in the browser, red once over."""
    minutes = slide.minutes
    if slide.block is None or minutes <= 0:
        return
    now = utcnow()
    left = time_left(stage.elapsed(now), minutes)
    end_ms = int((now + left).timestamp() * 1000)
    st.caption(tr(f"本环节计时（{minutes} 分钟）", f"Block timer ({minutes} min)"))
    st.html(_TIMER.format(end=end_ms, text=clock(left)), unsafe_allow_javascript=True)


def _deck(agenda: Agenda, cat: Catalogue) -> Deck:
    return build_deck(agenda, cat)


def _flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.warning(message)


def _fail(exc: PlanError) -> None:
    if isinstance(exc, StoreUnavailable):
        show_unavailable(exc)
    else:
        st.error(md_escape(exc.text(lang())))


# ---------------------------------------------------------------- landing: create / open / join


def _set_host(code: str | None) -> None:
    """Hold (or, with None, forget) the facilitator code in this session and in the browser."""
    old = st.session_state.get(HOST_KEY)
    if old and old != code:
        keyring().drop("host", old)
    st.session_state[HOST_KEY] = code
    if code:
        keyring().put("host", code)


def host_code() -> str | None:
    """The facilitator code of this session; `?host=` is taken once and removed from the URL.

    Without one, the code this browser last opened a desk with, so a reload, a new tab or a
    typed URL keeps the trainer at the desk (until they leave it).
    """
    st.session_state.setdefault(HOST_KEY, None)
    asked = st.query_params.get("host")
    if asked:
        del st.query_params["host"]
        try:
            repo.open_workshop(store(), asked)
        except PlanError as exc:
            _fail(exc)
        else:
            _set_host(parse_code(asked))
    if st.session_state[HOST_KEY] is None:
        for kept in keyring().all("host"):
            try:
                repo.open_workshop(store(), kept)
            except InvalidCode:
                keyring().drop("host", kept)
                continue
            st.session_state[HOST_KEY] = kept
            break
    code: str | None = st.session_state[HOST_KEY]
    return code


def landing() -> None:
    """No code yet: create a workshop, open one with its facilitator code, or join a team."""
    st.title(tr("工作坊", "Workshop"))
    st.caption(
        tr(
            "培训师：排议程、分组、逐步演示、实时看各组进度、导出 PPTX。小组：扫码加入本组清单。",
            "Trainers: build an agenda, form teams, present step by step, watch every team's "
            "progress live, export the deck. Teams: scan your QR code to open your checklist.",
        )
    )
    create, reopen, join = st.tabs(
        [
            tr("新建工作坊", "New workshop"),
            tr("打开我的工作坊", "Open my workshop"),
            tr("加入小组", "Join a team"),
        ]
    )
    with create:
        agenda_builder()
    with reopen, st.form("workshop.open"):
        code = st.text_input(
            tr("主持码", "Facilitator code"), type="password", key="workshop.open.code"
        )
        if st.form_submit_button(tr("打开", "Open")):
            try:
                repo.open_workshop(store(), code)
            except PlanError as exc:
                _fail(exc)
            else:
                _set_host(parse_code(code))
                st.rerun()
    with join, st.form("workshop.join"):
        text = st.text_input(tr("加入链接或加入码", "Join link or code"), key="workshop.join.code")
        if st.form_submit_button(tr("加入", "Join")):
            try:
                st.query_params["join"] = parse_code(text)
            except PlanError as exc:
                _fail(exc)
            else:
                st.rerun()


def _item_label(cat: Catalogue, item_id: str) -> str:
    item = cat.items.get(item_id)
    if item is None:
        return item_id
    icon = "🗂️" if isinstance(item, Case) else "📘"
    return f"{icon} {item.title.get(lang())}"


def _sync_order(picked: list[str]) -> list[str]:
    order: list[str] = st.session_state.setdefault(ORDER_KEY, [])
    kept = [i for i in order if i in picked] + [i for i in picked if i not in order]
    st.session_state[ORDER_KEY] = kept
    return kept


def _move(item_id: str, offset: int) -> None:
    order: list[str] = st.session_state[ORDER_KEY]
    index = order.index(item_id)
    target = max(0, min(len(order) - 1, index + offset))
    order.insert(target, order.pop(index))


def agenda_builder() -> None:
    """Pick playbooks and cases in order, minutes per block, teams; save as a workshop."""
    cat = catalogue()
    st.text_input(
        tr("工作坊标题", "Workshop title"),
        key="workshop.new.title",
        max_chars=200,
        placeholder=tr(
            "例：社区团购启动半日工作坊", "e.g. Community group-buying launch, half day"
        ),
    )
    options = [p.id for p in cat.playbooks] + [c.id for c in cat.cases]
    # Labels are computed here, not in format_func: it may run outside the script run.
    labels = {i: _item_label(cat, i) for i in options}
    picked = st.multiselect(
        tr(
            "方法手册和案例（按选择顺序排入议程）",
            "Playbooks and cases (in the order you pick them)",
        ),
        options,
        format_func=labels.__getitem__,
        key="workshop.new.items",
    )
    order = _sync_order(list(picked))
    blocks: list[Block] = []
    start = 0
    for index, item_id in enumerate(order):
        item = cat.items[item_id]
        with st.container(border=True):
            top = st.columns([6, 2, 1, 1], vertical_alignment="bottom")
            top[0].markdown(f"**{index + 1}.** {md_escape(_item_label(cat, item_id))}")
            top[0].caption(tr(f"从第 {start} 分钟开始", f"starts at minute {start}"))
            minutes = top[1].number_input(
                tr("分钟", "Minutes"),
                min_value=1,
                max_value=MAX_MINUTES,
                value=suggested_minutes(item),
                step=5,
                key=f"workshop.new.minutes.{item_id}",
            )
            top[2].button("↑", key=f"workshop.new.up.{item_id}", on_click=_move, args=(item_id, -1))
            top[3].button(
                "↓", key=f"workshop.new.down.{item_id}", on_click=_move, args=(item_id, 1)
            )
            note = st.text_input(
                tr("演讲者备注（可选，仅培训师可见）", "Speaker note (optional, only you see it)"),
                key=f"workshop.new.note.{item_id}",
                max_chars=2000,
            )
        blocks.append(Block(item=item_id, minutes=int(minutes), note=note))
        start += int(minutes)
    if order:
        st.caption(tr(f"合计 {start} 分钟", f"{start} minutes in all"))
    cols = st.columns(2)
    teams = cols[0].number_input(
        tr("小组数", "Number of teams"),
        min_value=1,
        max_value=MAX_TEAMS,
        value=4,
        key="workshop.new.teams",
    )
    start_date = cols[1].date_input(
        tr("清单开始日期", "Checklists start on"), value=date.today(), key="workshop.new.start"
    )
    names_text = st.text_area(
        tr("小组名称（可选，每行一个）", "Team names (optional, one per line)"),
        key="workshop.new.team_names",
        height=100,
    )
    if st.button(tr("创建工作坊", "Create workshop"), type="primary", key="workshop.new.create"):
        title = str(st.session_state.get("workshop.new.title") or "").strip()
        if not title or not blocks:
            st.error(
                tr(
                    "请填写标题并至少选一个方法手册或案例。",
                    "Give a title and pick at least one playbook or case.",
                )
            )
            return
        names = [n.strip() for n in names_text.splitlines() if n.strip()]
        defaults = repo.default_team_names(int(teams), lang())
        names = (names + defaults[len(names) :])[: int(teams)]
        try:
            agenda = Agenda(title=title, blocks=tuple(blocks))
            _made, code = repo.create_workshop(
                store(),
                agenda,
                cat,
                names,
                start_date=start_date if isinstance(start_date, date) else date.today(),
                display_lang=lang(),
            )
        except PlanError as exc:
            _fail(exc)
            return
        except ValueError as exc:
            st.error(str(exc))
            return
        _set_host(code)
        st.session_state[CREATED_KEY] = code
        st.session_state["workshop.host.view"] = "teams"
        st.rerun()


# ---------------------------------------------------------------- facilitator desk

VIEWS = ("present", "teams", "board", "agenda", "export")


def _view_label(view: str) -> str:
    return {
        "present": tr("演示", "Present"),
        "teams": tr("小组与二维码", "Teams & QR codes"),
        "board": tr("进度看板", "Board"),
        "agenda": tr("议程", "Agenda"),
        "export": tr("导出", "Export"),
    }[view]


def host_desk(code: str) -> None:
    """The facilitator's controls for the workshop that `code` opens."""
    try:
        workshop = repo.open_workshop(store(), code)
    except InvalidCode:
        _set_host(None)
        keyring().drop("host", code)
        st.warning(tr("这个工作坊已不存在，或主持码已被更换。",
                      "This workshop does not exist any more, or its facilitator code was replaced."))  # fmt: skip
        landing()
        return
    except PlanError as exc:
        _fail(exc)
        return
    cat = catalogue()
    deck = _deck(workshop.agenda, cat)
    st.session_state.setdefault("workshop.host.view", "present")
    focus = bool(st.session_state.get("workshop.present.focus"))
    view = st.session_state.get("workshop.host.view")
    style(bare=focus and view == "present")
    if not (focus and view == "present"):
        head = st.columns([5, 1], vertical_alignment="bottom")
        head[0].title(md_escape(workshop.title), anchor=False)
        if head[1].button(
            tr("离开", "Leave"),
            key="workshop.host.leave",
            help=tr("在此浏览器中忘记主持码", "Forget the facilitator code in this browser"),
        ):
            keyring().drop("host", code)
            _set_host(None)
            st.rerun()
        _created_banner(code)
        st.segmented_control(
            tr("视图", "View"),
            VIEWS,
            format_func={v: _view_label(v) for v in VIEWS}.__getitem__,
            key="workshop.host.view",
            label_visibility="collapsed",
        )
    view = st.session_state.get("workshop.host.view") or "present"
    _flash()
    if view == "present":
        presenter(code, workshop, deck)
    elif view == "teams":
        teams_view(code, workshop, cat)
    elif view == "board":
        board_view(workshop, cat)
    elif view == "agenda":
        agenda_view(code, workshop, cat)
    else:
        export_view(code, workshop, deck, cat)


def _created_banner(code: str) -> None:
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
        st.code(host_link(code, lang()), language=None)
        if st.button(tr("我已保存", "I saved it"), key="workshop.host.saved"):
            st.session_state[CREATED_KEY] = None
            st.rerun()


def _go(code: str, index: int) -> None:
    cat = catalogue()
    try:
        workshop = repo.open_workshop(store(), code)
        repo.go_to(store(), code, index, _deck(workshop.agenda, cat))
    except PlanError as exc:
        st.session_state[FLASH_KEY] = str(exc)


def _step(code: str, offset: int) -> None:
    try:
        workshop = repo.open_workshop(store(), code)
    except PlanError as exc:
        st.session_state[FLASH_KEY] = str(exc)
        return
    _go(code, workshop.stage.slide + offset)


def _jump(code: str) -> None:
    _go(code, int(st.session_state["workshop.present.jump"]))


def _set_lang(code: str) -> None:
    value = st.session_state.get("workshop.present.lang")
    if value:
        try:
            repo.set_display_lang(store(), code, value)
        except PlanError as exc:
            st.session_state[FLASH_KEY] = str(exc)


def _restart(code: str) -> None:
    try:
        repo.restart_timer(store(), code)
    except PlanError as exc:
        st.session_state[FLASH_KEY] = str(exc)


def presenter(code: str, workshop: Workshop, deck: Deck) -> None:
    """One slide at a time with next/previous (arrow keys), notes, timer and live language."""
    stage = workshop.stage
    index = deck.clamp(stage.slide)
    slide = deck.slides[index]
    display = stage.display_lang
    bar = st.columns([3, 2, 2], vertical_alignment="center")
    st.session_state["workshop.present.lang"] = display
    bar[0].segmented_control(
        tr("投屏语言", "Slide language"),
        DISPLAY_LANGS,
        format_func=lambda v: LANG_LABELS[v],
        key="workshop.present.lang",
        on_change=_set_lang,
        args=(code,),
    )
    bar[1].toggle(
        tr("显示演讲者备注", "Show speaker notes"), value=True, key="workshop.present.notes"
    )
    bar[2].toggle(
        tr("专注模式（隐藏侧栏）", "Focus mode (hide sidebar)"), key="workshop.present.focus"
    )
    show_slide(slide, display)
    nav = st.columns([2, 2, 4, 2], vertical_alignment="center")
    nav[0].button(
        tr("◀ 上一页", "◀ Previous"),
        key="workshop.present.prev",
        on_click=_step,
        args=(code, -1),
        disabled=index == 0,
        shortcut="Left",
        width="stretch",
    )
    nav[1].button(
        tr("下一页 ▶", "Next ▶"),
        key="workshop.present.next",
        on_click=_step,
        args=(code, 1),
        disabled=index >= len(deck.slides) - 1,
        shortcut="Right",
        type="primary",
        width="stretch",
    )
    st.session_state["workshop.present.jump"] = index
    jump_labels = [
        f"{i + 1}/{len(deck.slides)} · {s.title.get(lang())}" for i, s in enumerate(deck.slides)
    ]
    nav[2].selectbox(
        tr("跳到", "Go to"),
        range(len(deck.slides)),
        format_func=jump_labels.__getitem__,
        key="workshop.present.jump",
        on_change=_jump,
        args=(code,),
        label_visibility="collapsed",
    )
    with nav[3]:
        show_timer(stage, deck, slide)
        if slide.block is not None:
            st.button(
                tr("重新计时", "Restart timer"),
                key="workshop.present.restart",
                on_click=_restart,
                args=(code,),
            )
    st.caption(
        tr(
            "键盘：← 上一页，→ 下一页。第二块屏幕（投影）打开观众视图，它会跟随这里翻页。",
            "Keyboard: ← previous, → next. Open the audience view on the projector; it follows "
            "this page.",
        )
    )
    if st.session_state.get("workshop.present.notes", True):
        show_notes(slide, display)
    with st.expander(tr("观众视图链接（投影用）", "Audience view link (for the projector)")):
        link = screen_link(repo.screen_join_code(code, workshop), lang())
        st.code(link, language=None)
        st.link_button(tr("在新标签页打开观众视图", "Open the audience view in a new tab"), link)


def teams_view(code: str, workshop: Workshop, cat: Catalogue) -> None:
    """Every team's join link and QR code, a projector-size QR, the printable sheet, more teams."""
    teams = workshop.teams
    entries = [
        SheetEntry(
            name=t.name,
            link=team_link(repo.team_join_code(code, t), lang()),
            code=repo.team_join_code(code, t),
        )
        for t in teams
    ]
    top = st.columns([3, 2], vertical_alignment="bottom")
    top[0].markdown(
        tr(
            f"**{len(teams)} 个小组。** 每组扫描自己的二维码，直接进入本组的启动清单。",
            f"**{len(teams)} teams.** Each team scans its own QR code and lands in its checklist.",
        )
    )
    top[1].download_button(
        tr("下载打印页（全部二维码）", "Download the printable sheet (all codes)"),
        data=join_sheet_html(workshop.title, entries, lang()),
        file_name="qunce-workshop-teams.html",
        mime="text/html",
        key="workshop.teams.sheet",
        on_click="ignore",
    )
    names = {t.id: t.name for t in teams}
    chosen = st.selectbox(
        tr("投屏显示一个小组的二维码", "Show one team's QR code on the projector"),
        [t.id for t in teams],
        format_func=lambda i: names.get(i, str(i)),
        key="workshop.teams.show",
    )
    entry = next((e for t, e in zip(teams, entries, strict=True) if t.id == chosen), None)
    if entry is not None:
        with st.container(key="workshop-qr-big", border=True):
            st.markdown(f"## {md_escape(entry.name)}")
            middle = st.columns([1, 3, 1])[1]
            middle.image(qr_png(entry.link, pixels=640), width="stretch")
            st.code(entry.link, language=None)
    st.subheader(tr("全部小组", "All teams"))
    grid = st.columns(3)
    for n, (team, entry) in enumerate(zip(teams, entries, strict=True)):
        with grid[n % 3].container(border=True):
            st.markdown(f"**{md_escape(team.name)}**")
            st.image(qr_png(entry.link, pixels=300), width=220)
            st.code(entry.link, language=None)
            st.button(
                tr("换新加入码", "New join code"),
                key=f"workshop.teams.rotate.{team.id}",
                on_click=_rotate,
                args=(code, team.id),
                help=tr(
                    "旧链接和旧二维码立即失效", "The old link and QR code stop working at once"
                ),
            )
    with st.form("workshop.teams.add"):
        count = st.number_input(
            tr("再加几个小组", "Add teams"),
            min_value=1,
            max_value=MAX_TEAMS,
            value=1,
            key="workshop.teams.add_count",
        )
        if st.form_submit_button(tr("添加", "Add")):
            start = len(teams)
            fresh = repo.default_team_names(start + int(count), lang())[start:]
            try:
                repo.add_teams(store(), code, fresh, cat)
            except PlanError as exc:
                _fail(exc)
            else:
                st.rerun()


def _rotate(code: str, team_id: int) -> None:
    try:
        repo.rotate_team_code(store(), code, team_id)
    except PlanError as exc:
        st.session_state[FLASH_KEY] = str(exc)


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
    """The live board (refreshes by itself) and the closing summary."""
    playbooks = playbook_titles(workshop.agenda, cat.items)

    @st.fragment(run_every=BOARD_REFRESH_S)
    def live() -> None:
        try:
            board = read_board(store(), workshop, playbooks)
        except PlanError as exc:
            _fail(exc)
            return
        show_board(board)

    live()


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
            f"每 {BOARD_REFRESH_S} 秒自动刷新 · {datetime.now().strftime('%H:%M:%S')}",
            f"Refreshes by itself every {BOARD_REFRESH_S} s · {datetime.now().strftime('%H:%M:%S')}",
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


def agenda_view(code: str, workshop: Workshop, cat: Catalogue) -> None:
    """The saved agenda; minutes, notes and order can change (the playbooks stay)."""
    agenda = workshop.agenda
    starts = agenda.starts()
    rows = [
        {
            "order": n + 1,
            "item": b.item,
            "title": _item_label(cat, b.item),
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
            _fail(exc)
        except (ValueError, TypeError) as exc:
            st.error(str(exc))
        else:
            st.rerun()


def export_view(code: str, workshop: Workshop, deck: Deck, cat: Catalogue) -> None:
    """Download the deck (PPTX), the handout (Markdown) and the join sheet."""
    choice = st.segmented_control(
        tr("文件语言", "Language of the files"),
        DISPLAY_LANGS,
        format_func=lambda v: LANG_LABELS[v],
        default=lang(),
        key="workshop.export.lang",
    )
    display: DisplayLang = choice if choice in DISPLAY_LANGS else lang()
    cols = st.columns(3)
    cols[0].download_button(
        tr("演示文稿 PPTX", "Slide deck (PPTX)"),
        data=lambda: deck_pptx(deck, display),
        file_name=f"qunce-workshop-{display}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="workshop.export.pptx",
        on_click="ignore",
    )
    cols[1].download_button(
        tr("讲义 Markdown", "Handout (Markdown)"),
        data=lambda: handout_markdown(workshop.agenda, cat, display).encode("utf-8"),
        file_name=f"qunce-workshop-{display}.md",
        mime="text/markdown",
        key="workshop.export.md",
        on_click="ignore",
    )
    entries = [
        SheetEntry(
            t.name, team_link(repo.team_join_code(code, t), lang()), repo.team_join_code(code, t)
        )
        for t in workshop.teams
    ]
    cols[2].download_button(
        tr("小组二维码打印页", "Team QR sheet (HTML)"),
        data=join_sheet_html(workshop.title, entries, lang()),
        file_name="qunce-workshop-teams.html",
        mime="text/html",
        key="workshop.export.sheet",
        on_click="ignore",
    )
    st.caption(
        tr(
            f"{len(deck.slides)} 页：标题页、每个方法的开场页和每一步一页、每个案例一页、总结页；备注在演讲者备注里。",
            f"{len(deck.slides)} slides: a title slide, an opening slide and one slide per step "
            "for each playbook, one per case, and a wrap-up; the notes are in the speaker notes.",
        )
    )


# ---------------------------------------------------------------- audience screen


def screen_view(code: str) -> None:
    """The projector: the current slide in large type, following the presenter, no notes."""
    style(bare=True)
    try:
        first = repo.open_screen(store(), code)
    except PlanError as exc:
        _fail(exc)
        return
    cat = catalogue()

    @st.fragment(run_every=FOLLOW_REFRESH_S)
    def follow() -> None:
        try:
            stage = repo.get_stage(store(), first.workshop_id)
        except PlanError as exc:
            _fail(exc)
            return
        deck = _deck(stage.agenda, cat)
        slide = deck.slides[deck.clamp(stage.slide)]
        show_slide(slide, stage.display_lang)
        left, right = st.columns([4, 1])
        left.caption(f"{deck.clamp(stage.slide) + 1} / {len(deck.slides)}")
        with right:
            show_timer(stage, deck, slide)

    follow()


# ---------------------------------------------------------------- team view (phones)


def _tick(workspace_id: str, item: Item, key: str) -> None:
    checked = bool(st.session_state.get(key))
    author = str(st.session_state.get("workshop.team.author") or "").strip()
    try:
        update_item(
            store(),
            workspace_id,
            item.id,
            {"status": "done" if checked else "todo"},
            expected_version=item.version,
            author=author,
        )
    except StaleEdit as exc:
        who = exc.current.updated_by or tr("队友", "a teammate")
        st.session_state[FLASH_KEY] = tr(
            f"“{exc.current.title('zh')}”刚被{who}改过，已显示最新状态。",
            f"“{exc.current.title('en')}” was just changed by {who}; you see its latest state now.",
        )
    except PlanError as exc:
        st.session_state[FLASH_KEY] = str(exc)


def _item_row(workspace_id: str, item: Item) -> None:
    key = f"workshop.team.item.{item.id}.{item.version}"
    label = md_escape(item.title(lang()))
    if item.status in ("doing", "skipped"):
        mark = {"doing": tr("进行中", "doing"), "skipped": tr("已跳过", "skipped")}[item.status]
        label = f"{label} :gray[({mark})]"
    st.checkbox(
        label,
        value=item.status == "done",
        key=key,
        on_change=_tick,
        args=(workspace_id, item, key),
    )
    done_when = item.done_when(lang())
    if done_when:
        st.caption(md_escape(done_when))


def _checklist(plan: Plan, current: str | None) -> None:
    groups: dict[str | None, list[Item]] = {}
    for item in plan.items:
        groups.setdefault(item.playbook_id, []).append(item)
    order = [s.playbook_id for s in plan.sources] + [
        k for k in groups if k not in {s.playbook_id for s in plan.sources}
    ]
    for playbook_id in order:
        items = groups.get(playbook_id)
        if not items:
            continue
        source = plan.source(playbook_id) if playbook_id else None
        title = source.title(lang()) if source else tr("自加条目", "Our own items")
        done = sum(1 for i in items if i.status == "done")
        counted = sum(1 for i in items if i.status != "skipped")
        now = (
            tr("（正在讲）", " (now presenting)") if playbook_id and playbook_id == current else ""
        )
        st.markdown(f"#### {md_escape(title)}{now}")
        st.progress(done / counted if counted else 0.0, text=f"{done}/{counted}")
        for item in items:
            _item_row(plan.workspace_id, item)


def team_view(code: str) -> None:
    """A team's phone view: what is presented now, and the team's checklist to tick."""
    style()
    try:
        access = repo.join_team(store(), code)
    except PlanError as exc:
        _fail(exc)
        st.page_link(
            "views/workshop.py",
            label=tr("返回工作坊首页", "Back to the workshop page"),
            query_params={"lang": lang()},
        )
        return
    team = access.team
    cat = catalogue()
    try:
        # The sidebar's Launch plans page then opens this team's workspace too.
        set_current_workspace(code)
    except PlanError as exc:
        _fail(exc)
        return
    keyring().put("team", parse_code(code))
    with st.container(key="workshop-team"):
        st.title(md_escape(team.name), anchor=False)
        st.caption(md_escape(access.stage.title))
        st.text_input(
            tr("你的名字（队友能看到谁勾的）", "Your name (so teammates see who ticked)"),
            key="workshop.team.author",
            max_chars=200,
        )
        _team_live(team, access.stage.workshop_id, cat)
        if team.plan_id is not None:
            st.page_link(
                PLANS_PAGE,
                label=tr(
                    "打开完整计划（负责人、截止日期、跳过）",
                    "Open the full plan (owners, due dates, skip)",
                ),
                icon="✅",
                query_params={"lang": lang(), "join": code},
            )
        st.caption(
            tr(
                "这个链接就是本组的钥匙，只发给本组成员。",
                "This link is your team's key; share it only with your team.",
            )
        )


def _team_live(team: Team, workshop_id: str, cat: Catalogue) -> None:
    @st.fragment(run_every=TEAM_REFRESH_S)
    def live() -> None:
        _flash()
        try:
            stage = repo.get_stage(store(), workshop_id)
            plan = get_plan(store(), team.workspace_id, team.plan_id) if team.plan_id else None
        except PlanError as exc:
            _fail(exc)
            return
        deck = _deck(stage.agenda, cat)
        slide = deck.slides[deck.clamp(stage.slide)]
        with st.container(border=True):
            st.caption(tr("正在讲", "Now presenting"))
            st.markdown(f"**{md_escape(slide.title.get(lang()))}**")
            st.caption(md_escape(slide.kicker.get(lang())))
        current = slide.item_id if slide.kind in ("playbook", "step") else None
        if plan is None or not plan.items:
            st.info(tr("这个工作坊没有需要勾选的清单。", "This workshop has no checklist to tick."))
            return
        progress = plan.progress()
        st.progress(
            progress.ratio,
            text=tr(
                f"本组进度 {progress.done}/{progress.counted}",
                f"Team progress {progress.done}/{progress.counted}",
            ),
        )
        _checklist(plan, current)

    live()
