"""The workshop page's start: create a workshop (the agenda builder), open one with its
facilitator code, or join a team by typing its short code (or pasting its link).

The facilitator code is taken from `?host=` once (then removed from the address bar) or typed,
and kept in the session and in the browser's keyring, so a reload or a new tab keeps the desk.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from qunce.content.catalogue import Catalogue
from qunce.content.schema import Case
from qunce.db.errors import InvalidCode, PlanError, TooManyAttempts
from qunce.plans.workspaces import parse_code
from qunce.ui.content import catalogue
from qunce.ui.i18n import lang, tr
from qunce.ui.keyring import keyring
from qunce.ui.workshop.common import CREATED_KEY, HOST_KEY, VIEW_KEY, client_key, fail
from qunce.ui.workshop.slides import md
from qunce.ui.workspace import store
from qunce.workshop import repository as repo
from qunce.workshop.agenda import MAX_MINUTES, Agenda, Block, suggested_minutes
from qunce.workshop.records import MAX_TEAMS
from qunce.workshop.shortcodes import LENGTH, resolve_short_code

ORDER_KEY = "workshop.new.order"


def set_host(code: str | None) -> None:
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
            fail(exc)
        else:
            set_host(parse_code(asked))
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
            "progress live, export the deck. Teams: scan your QR code, or type your team's "
            "short code below.",
        )
    )
    # Teams first: a phone that typed this page's address from the screen lands here.
    join_form()
    create, reopen = st.tabs(
        [tr("新建工作坊", "New workshop"), tr("打开我的工作坊", "Open my workshop")]
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
                fail(exc)
            else:
                set_host(parse_code(code))
                st.rerun()


def _join(typed: str) -> str:
    """The long join code for what a person typed: a short code, a join link or a long code.

    Raises InvalidCode (with TooManyAttempts when this client is locked out).
    """
    text = typed.strip()
    bare = "".join(ch for ch in text if ch not in " -_.\t")
    if "join=" in text or len(bare) > LENGTH + 4:  # a link, or a long code (22 characters)
        return parse_code(text)
    return resolve_short_code(store(), text, client_key()).team_code


def join_form() -> None:
    """Type your team's short code (from the screen), or paste the team's link."""
    with st.form("workshop.join"):
        st.markdown(tr("**加入小组**", "**Join a team**"))
        text = st.text_input(
            tr(
                "本组短码（屏幕上的 8 位码，不分大小写）或加入链接",
                "Your team's short code (8 characters from the screen, any case) or join link",
            ),
            key="workshop.join.code",
            max_chars=400,
            placeholder="ABCD 2345",
        )
        if st.form_submit_button(tr("加入", "Join"), type="primary"):
            try:
                code = _join(text)
            except TooManyAttempts as exc:
                st.error(md(exc.text(lang())), icon=":material/lock_clock:")
            except PlanError as exc:
                fail(exc)
            else:
                st.query_params["join"] = code
                st.rerun()


def item_label(cat: Catalogue, item_id: str) -> str:
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
    labels = {i: item_label(cat, i) for i in options}
    picked = st.multiselect(
        tr(
            "方法手册和案例（按选择顺序排入议程）",
            "Playbooks and cases (in the order you pick them)",
        ),
        options,
        format_func=labels.__getitem__,
        key="workshop.new.items",
        placeholder=tr("选择方法手册和案例", "Choose playbooks and cases"),
    )
    order = _sync_order(list(picked))
    blocks: list[Block] = []
    start = 0
    for index, item_id in enumerate(order):
        item = cat.items[item_id]
        with st.container(border=True):
            top = st.columns([6, 2, 1, 1], vertical_alignment="bottom")
            top[0].markdown(f"**{index + 1}.** {md(item_label(cat, item_id))}")
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
            fail(exc)
            return
        except ValueError as exc:
            st.error(str(exc))
            return
        set_host(code)
        st.session_state[CREATED_KEY] = code
        st.session_state[VIEW_KEY] = "teams"
        st.rerun()
