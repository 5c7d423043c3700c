"""The calculators page's parts: picking a calculator (or following a link), results, sources,
scenarios to save and compare, and the share link.

The address bar always holds a share link of the current, valid inputs (`?calc=..&field=..`),
so a reload keeps the scenario and copying the URL shares it. A link that arrives (typed,
shared, or from a case page) fills the form once; editing the form then rewrites the link.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel

from qunce.calculators import compare
from qunce.calculators.base import Calculator, FieldSpec, Note, Scenario, format_value
from qunce.calculators.errors import CalculatorInputError, UnknownCalculatorError
from qunce.calculators.registry import REGISTRY, get, registry
from qunce.calculators.share import from_query, to_query, url
from qunce.config import settings
from qunce.db.errors import InvalidValue, NotFound, StoreUnavailable
from qunce.db.store import Store
from qunce.plans.records import Workspace
from qunce.plans.scenarios import delete_scenario, list_scenarios, save_scenario
from qunce.ui.forms import FormOutcome, escape_markdown, load_values
from qunce.ui.i18n import lang, text, tr
from qunce.ui.workspace import current_workspace, show_unavailable, store

PICK_KEY = "calc.pick"
APPLIED_KEY = "calc.applied"
LINK_ERROR_KEY = "calc.link_error"
SESSION_SCENARIOS_KEY = "calc.session_scenarios"
PLAYBOOKS_PAGE = "views/playbooks.py"
PLANS_PAGE = "views/plans.py"
CURRENT = "\u0000current"
FROM_CASE_KEY = "calc.from_case"  # (calculator id, case id) of the preset the page opened with


def _link_params() -> dict[str, str]:
    return {k: v for k, v in st.query_params.to_dict().items() if k != "lang"}


def follow_link() -> None:
    """Fill the form from `?calc=...` when the address carries a link not yet applied."""
    params = _link_params()
    if "calc" not in params or params == st.session_state.get(APPLIED_KEY):
        return
    st.session_state[APPLIED_KEY] = params
    st.session_state[FROM_CASE_KEY] = (
        (params.get("calc"), params["case"]) if "case" in params else None
    )
    try:
        calc_id, raw = from_query(params)
    except UnknownCalculatorError as error:
        st.session_state[LINK_ERROR_KEY] = error
        return
    if raw:
        load_values(get(calc_id), raw)
    # A bare `?calc=id` (a playbook's calculator link) opens the calculator as the person left it.
    st.session_state[PICK_KEY] = calc_id


def pick_calculator() -> Calculator[Any, Any]:
    """The calculator picker (following a link first); returns the chosen calculator."""
    follow_link()
    if PICK_KEY not in st.session_state or st.session_state[PICK_KEY] not in REGISTRY:
        st.session_state[PICK_KEY] = registry()[0].id
    error = st.session_state.pop(LINK_ERROR_KEY, None)
    if isinstance(error, UnknownCalculatorError):
        st.error(escape_markdown(error.text(lang())))
    code = lang()
    calc_id = st.selectbox(
        tr("选择计算器", "Calculator"),
        options=list(REGISTRY),
        format_func=lambda cid: REGISTRY[cid].title.get(code),
        key=PICK_KEY,
    )
    return get(str(calc_id))


def sync_link(calc: Calculator[Any, Any], inputs: BaseModel | None) -> dict[str, str] | None:
    """Keep the address bar a share link of the valid inputs; returns those parameters."""
    if inputs is None:
        return None
    params = to_query(calc.id, inputs)
    if params != _link_params():
        st.query_params.from_dict({**params, "lang": lang()})
    st.session_state[APPLIED_KEY] = params
    return params


def _preset_text(spec: FieldSpec, value: Any, code: str) -> str:
    """A preset value as the form shows it: a choice by its label, a number with its unit."""
    if isinstance(value, list):
        return tr(f"{len(value)} 行", f"{len(value)} rows")
    labels = dict(spec.choices)
    if value in labels:
        return labels[value].get(code)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_value(float(value), spec.unit, code)
    return str(value)


def case_origin(calc: Calculator[Any, Any], inputs: BaseModel | None) -> None:
    """Opened from a case: which inputs are the case's sourced numbers, which are assumed,
    and which the person has changed since."""
    origin = st.session_state.get(FROM_CASE_KEY)
    if not origin or origin[0] != calc.id:
        return
    from qunce.content.schema import Case
    from qunce.ui.content import catalogue

    case = catalogue().get(str(origin[1]))
    if not isinstance(case, Case) or case.calculator is None or case.calculator.id != calc.id:
        return
    preset = case.calculator
    code = lang()
    specs = {spec.name: spec for spec in calc.fields()}
    rows = []
    for name, value in preset.inputs.items():
        spec = specs.get(name)
        if spec is None:
            continue
        now = getattr(inputs, name, None) if inputs is not None else None
        if now is not None and now != value and not isinstance(value, list):
            where = tr("你改过", "changed by you")
        elif name in preset.from_case and not preset.illustration:
            where = tr("来自案例（有出处）", "from the case (sourced)")
        else:
            where = tr("假设", "assumed")
        rows.append(
            {
                tr("输入", "Input"): spec.label.get(code),
                tr("案例预设", "Preset"): _preset_text(spec, value, code),
                tr("出处", "Where it comes from"): where,
            }
        )
    with st.container(border=True):
        head = tr(
            f"用案例「{text(case.title)}」的数字打开。",
            f"Opened with the numbers of “{text(case.title)}”.",
        )
        if preset.illustration or not preset.from_case:
            head += tr(
                " 这些输入只是示意，不是这家公司的数据。",
                " These inputs are illustrations, not the company's data.",
            )
        st.markdown(escape_markdown(head))
        if preset.note is not None:
            st.caption(escape_markdown(text(preset.note)))
        st.dataframe(rows, hide_index=True, width="stretch", key="calc.from_case.table")


COUNT_UNITS = ("people", "groups", "orders")


# Metric tiles are narrow: English unit words get their short forms there.
SHORT_UNITS = {"months": "mo", "minutes": "min"}


def _metric_value(spec: FieldSpec, value: Any) -> str:
    code = lang()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.unit in COUNT_UNITS:
            # The label already says what is counted; the unit word would crowd the tile.
            return format_value(float(value), "", code)
        if code == "en" and spec.unit in SHORT_UNITS:
            return f"{format_value(float(value), '', code)} {SHORT_UNITS[spec.unit]}"
    return compare.describe(spec, value, code)


def has_table(calc: Calculator[Any, Any]) -> bool:
    """Whether the form holds a table (it then needs a wider column)."""
    return any(spec.kind == "table" for spec in calc.fields())


def show_results(calc: Calculator[Any, Any], outcome: FormOutcome, per_row: int = 3) -> None:
    """Headline figures, charts, a details table and notes; or what to fix first."""
    code = lang()
    if outcome.inputs is None:
        st.error(
            tr(
                f"有 {len(outcome.problems)} 处输入需要修改，改好后显示结果：",
                f"Fix {len(outcome.problems)} input(s) to see the results:",
            )
            + "\n\n"
            + "\n".join(f"- {escape_markdown(p.text(code))}" for p in outcome.problems),
            icon="⚠️",
        )
        return
    inputs = outcome.inputs
    result = calc.compute(inputs)
    specs = {s.name: s for s in compare.scalar_results(calc)}
    headline = [
        specs[name]
        for name in calc.headline
        if name in specs
        and (getattr(result, name) is not None or specs[name].none_text is not None)
    ]
    for start in range(0, len(headline), per_row):
        columns = st.columns(per_row)
        for column, spec in zip(columns, headline[start : start + per_row], strict=False):
            column.metric(
                spec.label.get(code),
                _metric_value(spec, getattr(result, spec.name)),
                help=spec.help.get(code) or None,
                border=True,
            )
    charts = [(tr("图表", "Chart"), calc.chart)] + [
        (c.title.get(code), c.draw) for c in calc.charts
    ]
    tabs = st.tabs([title for title, _ in charts])
    for n, (tab, (_, draw)) in enumerate(zip(tabs, charts, strict=True)):
        with tab:
            st.plotly_chart(
                draw(inputs, result, code), key=f"calc.{calc.id}.chart.{n}", width="stretch"
            )
    if calc.details is not None:
        st.dataframe(
            pd.DataFrame(calc.details(inputs, result, code)), hide_index=True, width="stretch"
        )
    show_notes(calc.notes(inputs, result))
    with st.expander(tr("全部结果", "All results")):
        rest = [s for s in specs.values() if s.name not in calc.headline]
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("项目", "Figure"): s.label.get(code),
                        tr("数值", "Value"): _metric_value(s, getattr(result, s.name)),
                    }
                    for s in rest
                ]
            ),
            hide_index=True,
            width="stretch",
        )


def _playbook_title(playbook_id: str) -> str:
    try:
        from qunce.ui.content import catalogue

        item = catalogue().get(playbook_id)
    except Exception:  # the catalogue is optional here: a link with the id still works
        item = None
    if item is None:
        return playbook_id
    title = item.title
    return str(title.en if lang() == "en" else title.zh)


def show_notes(notes: list[Note]) -> None:
    """Notes as callouts; a note naming a playbook gets a link to it."""
    code = lang()
    seen: set[str] = set()
    for note in notes:
        body = escape_markdown(note.text.get(code))
        if note.level == "warning":
            st.warning(body, icon="⚠️")
        else:
            st.info(body, icon="💡")
        for playbook in note.playbooks:
            if playbook in seen:
                continue
            seen.add(playbook)
            st.page_link(
                PLAYBOOKS_PAGE,
                label=tr("打开方法：", "Open playbook: ") + _playbook_title(playbook),
                icon="📘",
                query_params={"id": playbook, "lang": code},
            )


def show_method(calc: Calculator[Any, Any]) -> None:
    """How the calculator computes, the book sections it serves and where its defaults come from."""
    code = lang()
    st.markdown(escape_markdown(calc.method.get(code)))
    st.caption(tr("本书章节：", "Book sections: ") + ", ".join(calc.sections))
    rows = []
    for spec in calc.fields():
        if spec.source is None:
            continue
        rows.append(
            {
                tr("输入", "Input"): spec.label.get(code),
                tr("默认值", "Default"): compare.describe(spec, spec.default, code)
                if spec.kind != "table"
                else "",
                tr("来源", "Source"): spec.source.text.get(code),
                tr("链接", "Link"): spec.source.url or "",
            }
        )
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _session_scenarios(calc_id: str) -> dict[str, dict[str, Any]]:
    if SESSION_SCENARIOS_KEY not in st.session_state:
        st.session_state[SESSION_SCENARIOS_KEY] = {}
    store: dict[str, dict[str, dict[str, Any]]] = st.session_state[SESSION_SCENARIOS_KEY]
    return store.setdefault(calc_id, {})


WorkspaceContext = tuple[Workspace, Store] | None


def open_workspace() -> WorkspaceContext:
    """(workspace, store) when a workspace is open; None otherwise or while plans are unavailable.

    A join link is only taken on the Launch plans page, which names the workspace and asks
    before switching: here a `?join=` code is moved there, never used to switch silently.
    Call it before `sync_link`, which rewrites the address bar.
    """
    join = st.query_params.get("join")
    if join:
        del st.query_params["join"]
        st.info(tr("这是一个工作区的加入链接：请在“启动计划”页打开它，那里会先告诉你要加入哪个工作区。",
                   "This is a workspace's join link: open it on Launch plans, which says which "
                   "workspace it is before you join."), icon=":material/group_add:")  # fmt: skip
        st.page_link(PLANS_PAGE, label=tr("在启动计划页打开", "Open it on Launch plans"), icon="✅",
                     query_params={"join": join, "lang": lang()})  # fmt: skip
    try:
        workspace = current_workspace(take_join_link=False)
        if workspace is None:
            return None
        return workspace, store()
    except StoreUnavailable as exc:
        show_unavailable(exc)
        return None


def _saved(
    calc: Calculator[Any, Any], ws: WorkspaceContext
) -> dict[str, tuple[int, dict[str, Any]]]:
    if ws is None:
        return {}
    workspace, repo = ws
    try:
        rows = list_scenarios(repo, workspace.id, calc.id)
    except StoreUnavailable as exc:
        show_unavailable(exc)
        return {}
    return {row.name: (row.id, dict(row.inputs)) for row in rows}


def _load(calc: Calculator[Any, Any], values: dict[str, Any]) -> None:
    load_values(calc, values)


def scenarios_panel(calc: Calculator[Any, Any], outcome: FormOutcome, ws: WorkspaceContext) -> None:
    """Save the current inputs as a named scenario, load one back, compare two or three."""
    code = lang()
    session = _session_scenarios(calc.id)
    saved = _saved(calc, ws)
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    name = left.text_input(
        tr("方案名称", "Scenario name"),
        key=f"calc.{calc.id}.scenario_name",
        max_chars=80,
        placeholder=tr("例如：保守估计", "e.g. Cautious"),
    )
    if ws is not None:
        st.caption(tr(f"保存到工作区：{escape_markdown(ws[0].name)}",
                      f"Saving to the workspace: {escape_markdown(ws[0].name)}"))  # fmt: skip
    clicked = right.button(
        tr("保存到团队工作区", "Save to the workspace")
        if ws
        else tr("保存（本次会话）", "Save (this session)"),
        key=f"calc.{calc.id}.save",
        disabled=outcome.inputs is None,
        width="stretch",
    )
    if clicked:
        clean = (name or "").strip()
        if not clean:
            st.error(tr("请先给方案起个名字。", "Give the scenario a name first."))
        elif outcome.inputs is not None:
            values = outcome.inputs.model_dump(mode="json")
            session[clean] = values
            if ws is not None:
                workspace, repo = ws
                try:
                    save_scenario(repo, workspace.id, calc.id, clean, values)
                    saved = _saved(calc, ws)
                    shown = escape_markdown(clean)
                    st.success(tr(f"已保存到工作区：{shown}", f"Saved to the workspace: {shown}"))
                except InvalidValue as exc:  # its message is fit to show
                    st.error(escape_markdown(exc.text(code)))
                except StoreUnavailable as exc:
                    show_unavailable(exc)
            else:
                shown = escape_markdown(clean)
                st.success(tr(f"已保存在本次会话：{shown}", f"Saved for this session: {shown}"))
    if ws is None:
        st.info(
            tr(
                "现在没有打开工作区，方案只保存在本次会话里（刷新后消失），仍可对比。要长期保存、与团队共享，请先在“启动计划”页创建或加入工作区。",
                "No workspace is open, so scenarios live in this session only (gone after a "
                "reload); comparing still works. To keep them and share them with your team, "
                "create or join a workspace on the Launch plans page.",
            ),
            icon="ℹ️",
        )
        st.page_link(
            PLANS_PAGE,
            label=tr("去启动计划页", "Go to Launch plans"),
            icon="✅",
            query_params={"lang": code},
        )
    options: dict[str, dict[str, Any]] = {}
    for scenario_name, (_, values) in saved.items():
        options[f"💾 {scenario_name}"] = values
    for scenario_name, values in session.items():
        if scenario_name not in saved:
            options[scenario_name] = values
    if not options:
        st.caption(
            tr(
                "保存两个以上方案后就能并排对比。",
                "Save two or more scenarios to compare them side by side.",
            )
        )
        return
    load_col, delete_col = st.columns(2, vertical_alignment="bottom")
    picked = load_col.selectbox(
        tr("已保存的方案", "Saved scenarios"), list(options), key=f"calc.{calc.id}.load_pick"
    )
    # A callback, because widget values may only change before the widgets are drawn.
    load_col.button(
        tr("载入到表单", "Load into the form"),
        key=f"calc.{calc.id}.load",
        on_click=_load,
        args=(calc, options[picked]),
    )
    if (
        picked.startswith("💾 ")
        and ws is not None
        and delete_col.button(
            tr("从工作区删除", "Delete from the workspace"), key=f"calc.{calc.id}.delete"
        )
    ):
        workspace, repo = ws
        scenario_id = saved[picked.removeprefix("💾 ")][0]
        # Someone else may have deleted it first: the list after the rerun is what counts.
        with contextlib.suppress(NotFound):
            delete_scenario(repo, workspace.id, scenario_id)
        session.pop(picked.removeprefix("💾 "), None)
        st.rerun()
    compare_options = ([CURRENT] if outcome.inputs is not None else []) + list(options)
    chosen = st.multiselect(
        tr("选择 2–3 个方案对比", "Pick 2–3 scenarios to compare"),
        compare_options,
        format_func=lambda o: tr("当前输入", "Current inputs") if o == CURRENT else o,
        max_selections=compare.MAX_COMPARED,
        key=f"calc.{calc.id}.compare",
        placeholder=tr("选择方案", "Choose scenarios"),
    )
    if len(chosen) < 2:
        return
    scenarios: list[Scenario[Any, Any]] = []
    for option in chosen:
        label = tr("当前输入", "Current inputs") if option == CURRENT else option
        chosen_values: BaseModel | dict[str, Any] | None = (
            outcome.inputs if option == CURRENT else options[option]
        )
        try:
            scenarios.append(compare.scenario(calc, label, chosen_values or {}))
        except CalculatorInputError as error:
            st.error(escape_markdown(f"{label}: " + "; ".join(error.messages(code))))
    if len(scenarios) < 2:
        return
    show_comparison(calc, scenarios)


def show_comparison(calc: Calculator[Any, Any], scenarios: list[Scenario[Any, Any]]) -> None:
    """The comparison table (differing inputs marked) and the overlaid chart."""
    code = lang()
    rows = compare.rows(calc, scenarios, code)
    names = [s.name for s in scenarios]
    kind_label = {"result": tr("结果", "Result"), "input": tr("输入", "Input")}
    table = pd.DataFrame(
        [
            {
                "": kind_label[row.kind],
                tr("项目", "Figure"): ("≠ " if row.differs and row.kind == "input" else "")
                + row.label,
                **dict(zip(_unique(names), row.values, strict=True)),
            }
            for row in rows
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.plotly_chart(
        calc.compare_chart(scenarios, code), key=f"calc.{calc.id}.compare_chart", width="stretch"
    )


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def share_panel(calc: Calculator[Any, Any], params: dict[str, str] | None) -> None:
    """The share link of the current inputs, ready to copy."""
    if params is None:
        st.caption(tr("输入有误时无法生成分享链接。", "Fix the inputs to get a share link."))
        return
    link = url({**params, "lang": lang()}, settings().base_url)
    st.code(link, language=None, wrap_lines=True)
    st.caption(
        tr(
            "链接里带着全部输入，打开就是同样的数字；什么都不会被保存到服务器。",
            "The link carries every input, so whoever opens it sees the same numbers; nothing is stored on the server.",
        )
    )


def format_figure(value: float | None, unit: str) -> str:
    """A figure with its unit in the UI language."""
    return format_value(value, unit, lang())
