"""The desk's *Teams* view: links phones can open, QR codes, short codes to type, more teams, and
new codes when one leaked.

- **Reachable links.** While links would say `localhost` (no QUNCE_BASE_URL, the browser on this
  machine), the desk says so plainly and offers this machine's LAN address: one button switches
  this workshop's links and QR codes to it (`link_base`). No QR code is drawn before the warning.
- **Short codes.** `ABCD 2345`, big enough to read from the back, with their lifetime; issue,
  renew or expire them. Teams type them on the workshop page (*Join a team*).
- **Rotation.** A new facilitator code re-keys the screen link, every team link and QR code and
  every short code; the new codes are shown once and this browser's keyring keeps the new one.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from qunce.config import settings
from qunce.content.catalogue import Catalogue
from qunce.db.base import utcnow
from qunce.db.errors import PlanError
from qunce.ui.i18n import lang, tr
from qunce.ui.keyring import keyring
from qunce.ui.workshop.common import (
    CREATED_KEY,
    HOST_KEY,
    error_text,
    fail,
    flash,
    link_base,
    links_say_localhost,
    set_link_base,
)
from qunce.ui.workshop.slides import md
from qunce.ui.workspace import store
from qunce.workshop import repository as repo
from qunce.workshop import shortcodes as sc
from qunce.workshop.links import host_link, page_url, screen_link, team_link
from qunce.workshop.qr import SheetEntry, join_sheet_html, qr_png
from qunce.workshop.records import MAX_TEAMS, Rotated, Workshop

ROTATED_KEY = "workshop.rotated"  # the codes after a rotation, shown once
SCREEN_ROTATED_KEY = "workshop.screen_rotated"


def entries(code: str, workshop: Workshop) -> list[SheetEntry]:
    """Every team's name, join link (with the chosen base URL) and code."""
    base = link_base(workshop.id)
    out = []
    for team in workshop.teams:
        joined = repo.team_join_code(code, team)
        out.append(
            SheetEntry(name=team.name, link=team_link(joined, lang(), base=base), code=joined)
        )
    return out


def reach_warning(workshop: Workshop, compact: bool = False) -> bool:
    """Warn when links say localhost and offer the LAN address; True when it warned.

    `compact` (the presenter) says it in one line, so Next stays on the first screen.
    """
    local, found = links_say_localhost(workshop.id)
    chosen = link_base(workshop.id)
    if chosen:
        cols = st.columns([5, 2], vertical_alignment="center")
        cols[0].caption(
            tr(
                f"本工作坊的链接和二维码使用 {chosen}",
                f"This workshop's links and QR codes use {chosen}",
            )
        )
        cols[1].button(
            tr("改回默认地址", "Back to the configured address"),
            key="workshop.links.reset",
            on_click=set_link_base,
            args=(workshop.id, None),
        )
        return False
    if not local:
        return False
    warning = found.warning()
    if compact and found.candidates:
        cols = st.columns([4, 3], vertical_alignment="center")
        cols[0].warning(
            tr(
                "链接和二维码写的是 localhost：教室里的手机打不开。",
                "Links and QR codes say localhost: phones in the room cannot open them.",
            ),
            icon=":material/wifi_off:",
        )
        cols[1].button(
            tr(f"改用 {found.candidates[0]}", f"Use {found.candidates[0]}"),
            key="workshop.links.use_lan",
            on_click=set_link_base,
            args=(workshop.id, found.candidates[0]),
            type="primary",
        )
        return True
    with st.container(key="workshop-reach", border=True):
        st.warning(
            warning.get(lang()) if warning is not None else "",
            icon=":material/wifi_off:",
        )
        if found.candidates:
            pick = found.candidates[0]
            if len(found.candidates) > 1:
                pick = st.selectbox(
                    tr("局域网地址", "LAN address"),
                    found.candidates,
                    key="workshop.links.lan_pick",
                )
            st.button(
                tr(
                    f"改用 {pick}（本工作坊的链接和二维码）",
                    f"Use {pick} for this workshop's links and QR codes",
                ),
                key="workshop.links.use_lan",
                on_click=set_link_base,
                args=(workshop.id, pick),
                type="primary",
            )
    return True


def _left(expires: datetime) -> str:
    minutes = max(0, int((expires - utcnow()).total_seconds() // 60))
    local = expires.astimezone(ZoneInfo(settings().timezone)).strftime("%H:%M")
    hours, rest = divmod(minutes, 60)
    return tr(
        f"有效至 {local}（还剩 {hours} 小时 {rest} 分）",
        f"valid until {local} ({hours} h {rest} min left)",
    )


def _issue(code: str, team_id: int | None) -> None:
    try:
        if team_id is None:
            sc.issue_short_codes(store(), code)
        else:
            sc.issue_short_code(store(), code, team_id)
    except PlanError as exc:
        flash(error_text(exc))


def _expire(code: str, team_id: int | None) -> None:
    try:
        sc.expire_short_codes(store(), code, team_id)
    except PlanError as exc:
        flash(error_text(exc))


def short_codes(code: str, workshop: Workshop) -> None:
    """Each team's short code, big, with its lifetime; issue, renew, expire."""
    st.subheader(tr("短加入码（手输）", "Short join codes (to type)"))
    try:
        codes = sc.list_short_codes(store(), code)
    except PlanError as exc:
        fail(exc)
        return
    where = page_url(link_base(workshop.id))
    st.markdown(
        tr(
            f"没有扫码的组员：打开 **{md(where)}** ，在“加入小组”里输入本组的短码（不分大小写，没有 0/O、1/I/L）。",
            f"Without a QR code: open **{md(where)}** and type your team's short code under "
            "*Join a team* (any case; no 0/O, 1/I/L).",
        )
    )
    cols = st.columns([2, 2, 3])
    cols[0].button(
        tr("为所有小组生成短码", "Issue short codes for every team")
        if not codes
        else tr("全部换新", "Renew them all"),
        key="workshop.teams.short.issue",
        on_click=_issue,
        args=(code, None),
        type="primary" if not codes else "secondary",
    )
    if codes:
        cols[1].button(
            tr("全部作废", "Expire them all"),
            key="workshop.teams.short.expire_all",
            on_click=_expire,
            args=(code, None),
        )
    grid = st.columns(3)
    for n, team in enumerate(workshop.teams):
        found = codes.get(team.id)
        with grid[n % 3].container(border=True, key=f"workshop-short-{team.id}"):
            st.markdown(f"**{md(team.name)}**")
            if found is None:
                st.caption(tr("还没有短码", "No short code yet"))
                st.button(
                    tr("生成短码", "Issue a short code"),
                    key=f"workshop.teams.short.renew.{team.id}",
                    on_click=_issue,
                    args=(code, team.id),
                )
                continue
            st.code(found.display, language=None)
            st.caption(_left(found.expires_at))
            row = st.columns(2)
            row[0].button(
                tr("换新", "Renew"),
                key=f"workshop.teams.short.renew.{team.id}",
                on_click=_issue,
                args=(code, team.id),
            )
            row[1].button(
                tr("作废", "Expire"),
                key=f"workshop.teams.short.expire.{team.id}",
                on_click=_expire,
                args=(code, team.id),
            )


def _rotate_team(code: str, team_id: int) -> None:
    try:
        repo.rotate_team_code(store(), code, team_id)
    except PlanError as exc:
        flash(error_text(exc))


def _rotate_host(code: str) -> None:
    if not st.session_state.get("workshop.rotate.host.sure"):
        flash(tr("请先勾选确认。", "Tick the confirmation first."))
        return
    try:
        rotated = repo.rotate_host_code(store(), code)
    except PlanError as exc:
        flash(error_text(exc))
        return
    ring = keyring()
    ring.drop("host", code)
    ring.put("host", rotated.host_code)
    st.session_state[HOST_KEY] = rotated.host_code
    st.session_state[CREATED_KEY] = None
    st.session_state[ROTATED_KEY] = rotated
    st.session_state["workshop.rotate.host.sure"] = False


def _rotate_screen(code: str) -> None:
    try:
        workshop = repo.open_workshop(store(), code)
        old = repo.screen_join_code(code, workshop)
        new = repo.rotate_screen_code(store(), code)
    except PlanError as exc:
        flash(error_text(exc))
        return
    ring = keyring()
    if old in ring.all("screen"):
        ring.drop("screen", old)
        ring.put("screen", new)
    st.session_state[SCREEN_ROTATED_KEY] = new


def rotated_banner(workshop: Workshop) -> None:
    """The new codes after a rotation, shown once (until *I saved them*)."""
    rotated: Rotated | None = st.session_state.get(ROTATED_KEY)
    screen: str | None = st.session_state.get(SCREEN_ROTATED_KEY)
    if rotated is None and screen is None:
        return
    base = link_base(workshop.id)
    with st.container(border=True, key="workshop-rotated"):
        if rotated is not None:
            st.success(
                tr(
                    "主持码已更换。旧的主持链接、观众视图链接、各组链接和二维码、短码都已失效。新的只显示这一次：",
                    "The facilitator code was replaced. The old facilitator link, audience link, "
                    "every team's link and QR code and every short code stopped working. The new "
                    "ones are shown only this once:",
                )
            )
            st.markdown(
                tr(
                    "**新主持码**（请保存，勿投屏）",
                    "**New facilitator code** (save it; do not project)",
                )
            )
            st.code(rotated.host_code, language=None)
            st.code(host_link(rotated.host_code, lang(), base=base), language=None)
            st.markdown(tr("**观众视图**", "**Audience view**"))
            st.code(screen_link(rotated.screen_code, lang(), base=base), language=None)
            st.markdown(
                tr(
                    "**各组新链接**（请重新打印二维码页）",
                    "**Teams' new links** (print the QR sheet again)",
                )
            )
            names = {t.id: t.name for t in rotated.workshop.teams}
            for team_id, team_code in rotated.team_codes.items():
                st.caption(md(names.get(team_id, str(team_id))))
                st.code(team_link(team_code, lang(), base=base), language=None)
        if screen is not None:
            st.success(
                tr(
                    "观众视图有了新链接；旧链接已失效。",
                    "The audience view has a new link; the old one stopped working.",
                )
            )
            st.code(screen_link(screen, lang(), base=base), language=None)
        if st.button(tr("我已保存", "I saved them"), key="workshop.rotate.saved"):
            st.session_state[ROTATED_KEY] = None
            st.session_state[SCREEN_ROTATED_KEY] = None
            st.rerun()


def rotation(code: str) -> None:
    """Buttons that replace the facilitator code (everything re-keyed) or the screen code."""
    with st.expander(
        tr("更换泄露的主持码或观众视图码", "Replace a leaked facilitator or screen code")
    ):
        st.markdown(
            tr(
                "**更换主持码**：所有链接都由主持码派生，所以观众视图链接、每个小组的链接和二维码、所有短码都会一起换新，"
                "旧的立即失效。各组的名称、清单和回答保留；之后请重新打印二维码页、重新打开观众视图。",
                "**Replace the facilitator code**: every link is derived from it, so the audience "
                "link, every team's link and QR code and every short code change with it, and the "
                "old ones stop working at once. Teams keep their names, checklists and answers; "
                "print the QR sheet again and reopen the audience view afterwards.",
            )
        )
        st.checkbox(
            tr(
                "我明白，旧链接和二维码会失效",
                "I understand: the old links and QR codes stop working",
            ),
            key="workshop.rotate.host.sure",
        )
        st.button(
            tr("更换主持码", "Replace the facilitator code"),
            key="workshop.rotate.host",
            on_click=_rotate_host,
            args=(code,),
        )
        st.markdown(
            tr(
                "**更换观众视图码**：只有观众视图链接改变，其他一切照旧。",
                "**Replace the screen code**: only the audience view's link changes.",
            )
        )
        st.button(
            tr("更换观众视图码", "Replace the screen code"),
            key="workshop.rotate.screen",
            on_click=_rotate_screen,
            args=(code,),
        )


def teams_view(code: str, workshop: Workshop, cat: Catalogue) -> None:
    """Links and QR codes (after the reach warning), short codes, more teams, new codes."""
    teams = workshop.teams
    listed = entries(code, workshop)
    warned = reach_warning(workshop)
    top = st.columns([3, 2], vertical_alignment="bottom")
    top[0].markdown(
        tr(
            f"**{len(teams)} 个小组。** 每组扫描自己的二维码，直接进入本组的启动清单。",
            f"**{len(teams)} teams.** Each team scans its own QR code and lands in its checklist.",
        )
    )
    top[1].download_button(
        tr("下载打印页（全部二维码）", "Download the printable sheet (all codes)"),
        data=join_sheet_html(workshop.title, listed, lang()),
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
    entry = next((e for t, e in zip(teams, listed, strict=True) if t.id == chosen), None)
    if entry is not None:
        with st.container(key="workshop-qr-big", border=True):
            st.markdown(f"## {md(entry.name)}")
            if warned:
                st.caption(
                    tr(
                        "⚠️ 这个二维码指向 localhost：手机打不开（见上方）。",
                        "⚠️ This QR code points at localhost: phones cannot open it (see above).",
                    )
                )
            middle = st.columns([1, 3, 1])[1]
            middle.image(qr_png(entry.link, pixels=640), width="stretch")
            st.code(entry.link, language=None)
    short_codes(code, workshop)
    st.subheader(tr("全部小组", "All teams"))
    grid = st.columns(3)
    for n, (team, item) in enumerate(zip(teams, listed, strict=True)):
        with grid[n % 3].container(border=True):
            st.markdown(f"**{md(team.name)}**")
            st.image(qr_png(item.link, pixels=300), width=220)
            st.code(item.link, language=None)
            st.button(
                tr("换新加入码", "New join code"),
                key=f"workshop.teams.rotate.{team.id}",
                on_click=_rotate_team,
                args=(code, team.id),
                help=tr(
                    "旧链接、旧二维码和短码立即失效",
                    "The old link, QR code and short code stop working at once",
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
                fail(exc)
            else:
                st.rerun()
    rotation(code)
