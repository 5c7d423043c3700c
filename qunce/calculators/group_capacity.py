"""Group capacity (book 6.1, 7.2): how many groups and operators a membership needs, and the cost.

groups = ⌈members ÷ seats per group⌉ with seats = ⌊group limit × fill rate⌋ (at least 1);
operators = ⌈members ÷ members per operator⌉; monthly cost = operators × operator cost.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from qunce.calculators.base import (
    ILLUSTRATION,
    Calculator,
    Inputs,
    Label,
    Note,
    Outputs,
    Scenario,
    number,
    out,
    rate,
    source,
)
from qunce.calculators.charts import COLORS, layout, plain

WECHAT_LIMIT = 500
WECHAT_SOURCE = source(
    "微信群上限 500 人（企业微信外部群 500，内部群 2,000，全员群 10,000）",
    "A WeChat group holds at most 500 (WeCom: external groups 500, internal 2,000, all-staff 10,000)",
    "ju.outofmemory.cn/softjc/633774.html",
)


class GroupCapacityInputs(Inputs):
    """Inputs of the group capacity calculator."""

    members: int = number(
        3_000,
        zh="要服务的成员",
        en="Members to serve",
        unit="people",
        ge=1,
        le=100_000_000,
        step=100,
        help_zh="要放进群里、由运营照顾的总人数。",
        help_en="Everyone you want in groups, looked after by operators.",
        source=ILLUSTRATION,
    )
    group_limit: int = number(
        WECHAT_LIMIT,
        zh="每群人数上限",
        en="Group size limit",
        unit="people",
        ge=2,
        le=10_000,
        step=10,
        help_zh="平台允许一个群最多多少人。",
        help_en="Most members the platform allows in one group.",
        source=WECHAT_SOURCE,
    )
    fill_rate: float = rate(
        100,
        zh="满员比例",
        en="Fill to",
        ge=10,
        help_zh="每个群只填到上限的多少，给新成员留位置、也让群不那么吵。",
        help_en="How full you let each group get, leaving room for newcomers and keeping it calm.",
        source=ILLUSTRATION,
        step=5,
    )
    members_per_operator: int = number(
        1_000,
        zh="每位运营服务的成员",
        en="Members per operator",
        unit="people",
        ge=1,
        le=1_000_000,
        step=100,
        help_zh="一位运营能照顾好多少成员（回复、活动、维护秩序）。",
        help_en="Members one operator can look after well (answers, events, keeping order).",
        source=ILLUSTRATION,
    )
    operator_monthly_cost: float = number(
        8_000,
        zh="每位运营每月成本",
        en="Monthly cost per operator",
        unit="yuan",
        ge=0,
        le=1_000_000,
        step=500,
        help_zh="工资、社保、工具分摊等。",
        help_en="Salary, benefits and tools, per month.",
        source=ILLUSTRATION,
    )


class GroupCapacityResult(Outputs):
    """Groups, staff and cost."""

    seats_per_group: int = out(
        "每群安排人数",
        "Members per group",
        "people",
        "上限 × 满员比例，向下取整。",
        "Limit × fill rate, rounded down.",
    )
    groups: int = out("群数", "Groups", "groups")
    operators: int = out("运营人数", "Operators", "people")
    groups_per_operator: float = out("每位运营管几个群", "Groups / operator", "groups")
    monthly_cost: float = out("每月运营成本", "Monthly cost", "yuan")
    cost_per_member: float = out("每位成员月成本", "Cost per member", "yuan")
    yearly_cost: float = out("每年运营成本", "Yearly operating cost", "yuan")


def seats(i: GroupCapacityInputs) -> int:
    """Members placed in each group: the limit times the fill rate, at least one."""
    return max(1, math.floor(i.group_limit * i.fill_rate / 100 + 1e-9))


def compute(i: GroupCapacityInputs) -> GroupCapacityResult:
    """Groups, operators and cost for the membership."""
    per_group = seats(i)
    groups = math.ceil(i.members / per_group)
    operators = math.ceil(i.members / i.members_per_operator)
    monthly = operators * i.operator_monthly_cost
    return GroupCapacityResult(
        seats_per_group=per_group,
        groups=groups,
        operators=operators,
        groups_per_operator=groups / operators,
        monthly_cost=monthly,
        cost_per_member=monthly / i.members,
        yearly_cost=12 * monthly,
    )


def _scale(i: GroupCapacityInputs) -> list[int]:
    top = max(10, 2 * i.members)
    step = max(1, top // 200)
    return list(range(step, top + 1, step))


def chart(i: GroupCapacityInputs, r: GroupCapacityResult, lang: str) -> Any:
    """Groups and operators as membership grows, with today's point marked."""
    xs = _scale(i)
    fig = go.Figure()
    fig.add_scatter(
        x=xs,
        y=[math.ceil(x / r.seats_per_group) for x in xs],
        line_shape="hv",
        name=Label("群数", "Groups").get(lang),
        line_color=COLORS[0],
    )
    fig.add_scatter(
        x=xs,
        y=[math.ceil(x / i.members_per_operator) for x in xs],
        line_shape="hv",
        name=Label("运营人数", "Operators").get(lang),
        line_color=COLORS[1],
    )
    fig.add_vline(
        x=i.members,
        line_dash="dot",
        line_color=COLORS[3],
        annotation_text=Label("现在", "Now").get(lang),
    )
    fig.update_xaxes(title=Label("成员", "Members").get(lang))
    fig.update_yaxes(title=Label("数量", "Count").get(lang), rangemode="tozero")
    return layout(
        fig, Label("成员增长时要多少群和运营", "Groups and operators as members grow").get(lang)
    )


def compare_chart(
    scenarios: Sequence[Scenario[GroupCapacityInputs, GroupCapacityResult]], lang: str
) -> Any:
    """Each scenario's monthly cost as membership grows."""
    fig = go.Figure()
    top = max(max(10, 2 * s.inputs.members) for s in scenarios) if scenarios else 10
    step = max(1, top // 200)
    xs = list(range(step, top + 1, step))
    for n, s in enumerate(scenarios):
        fig.add_scatter(
            x=xs,
            y=[
                math.ceil(x / s.inputs.members_per_operator) * s.inputs.operator_monthly_cost
                for x in xs
            ],
            line_shape="hv",
            name=plain(s.name),
            line_color=COLORS[n % len(COLORS)],
        )
    fig.update_xaxes(title=Label("成员", "Members").get(lang))
    fig.update_yaxes(
        title=Label("每月运营成本（元）", "Monthly cost (¥)").get(lang), rangemode="tozero"
    )
    return layout(fig, Label("运营成本对比", "Operating cost compared").get(lang))


def notes(i: GroupCapacityInputs, r: GroupCapacityResult) -> list[Note]:
    """Platform limits the plan runs into."""
    found: list[Note] = []
    if i.group_limit > WECHAT_LIMIT:
        found.append(
            Note(
                Label(
                    "普通微信群最多 500 人；更大的群要用企业微信内部群（2,000）或全员群（10,000），请确认你的平台。",
                    "A WeChat group holds at most 500; bigger groups need WeCom internal (2,000) or "
                    "all-staff groups (10,000). Check your platform.",
                ),
                level="warning",
                playbooks=("wechat-community",),
            )
        )
    if r.seats_per_group > 100:
        found.append(
            Note(
                Label(
                    "微信群超过 40 人后邀请需对方同意，超过 100 人后新成员要实名（绑定银行卡）：大群拉人更慢。",
                    "In WeChat, past 40 members invitees must accept, and past 100 they need "
                    "real-name (bank card) verification: big groups fill more slowly.",
                ),
                playbooks=("wechat-community",),
            )
        )
    if i.members_per_operator > 5_000:
        found.append(
            Note(
                Label(
                    "企业微信每位员工默认最多添加 5,000 位客户（可扩到 20,000）。",
                    "WeCom caps each staff member at 5,000 customers by default (20,000 when expanded).",
                ),
                level="warning",
            )
        )
    if r.groups_per_operator > 20:
        found.append(
            Note(
                Label(
                    f"每位运营要管 {r.groups_per_operator:.0f} 个群，很难每个群都照顾到：考虑群主志愿者或自动回复。",
                    f"Each operator looks after {r.groups_per_operator:.0f} groups, too many to tend "
                    "well: consider volunteer group leads or auto-replies.",
                ),
                playbooks=("launch-rules",),
            )
        )
    return found


CALCULATOR = Calculator(
    id="group-capacity",
    title=Label("群容量与人手", "Group capacity and staff"),
    summary=Label(
        "按群人数上限和每位运营能照顾的人数，算出要建几个群、配几个人、每位成员每月花多少钱。",
        "From the group size limit and how many members one operator can look after: groups, "
        "staff and the monthly cost per member.",
    ),
    sections=("6.1", "7.2"),
    inputs=GroupCapacityInputs,
    result=GroupCapacityResult,
    compute=compute,
    chart=chart,
    compare_chart=compare_chart,
    headline=("groups", "operators", "monthly_cost", "cost_per_member", "groups_per_operator"),
    method=Label(
        "每群安排人数 = ⌊上限 × 满员比例⌋（至少 1）；群数 = ⌈成员 ÷ 每群人数⌉；"
        "运营人数 = ⌈成员 ÷ 每位运营服务的成员⌉；每月成本 = 运营人数 × 每位运营每月成本。",
        "Members per group = ⌊limit × fill rate⌋ (at least 1); groups = ⌈members ÷ members per "
        "group⌉; operators = ⌈members ÷ members per operator⌉; monthly cost = operators × cost per "
        "operator.",
    ),
    notes=notes,
)
