"""Community funnel (book 1.4.1, 3.1.2): reach → joined → active → first purchase → repeat.

Each stage keeps a percentage of the one before. Orders are first purchases plus
`repeat_orders` extra orders from each repeat buyer; gross profit is revenue × margin.
The sensitivity moves one rate at a time up and down by a few percentage points and keeps the
others, so the tornado shows which rate is worth working on first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from qunce.calculators.base import (
    ILLUSTRATION,
    Calculator,
    Chart,
    Inputs,
    Label,
    Note,
    Outputs,
    Scenario,
    format_value,
    number,
    out,
    rate,
    source,
    spec_of,
)
from qunce.calculators.charts import COLORS, layout, plain

ACTIVE_SOURCE = source(
    "社区基准：月活跃成员通常占 10%–30%（breezio benchmarks）",
    "Community benchmark: 10–30% of members active in a month (breezio benchmarks)",
    "https://breezio.com/benchmarks",
)
NO_PUBLIC_FIGURE = source(
    "示例值：私域转化率、复购率没有可信的公开数据，只有服务商的说法",
    "Illustration: no credible public figure for private-traffic conversion or repurchase, "
    "only vendor claims",
    "https://www.campaignasia.com/article/477259",
)


class FunnelInputs(Inputs):
    """Inputs of the community funnel."""

    reach: int = number(
        10_000,
        zh="触达人数",
        en="People reached",
        unit="people",
        ge=0,
        le=1_000_000_000,
        step=100,
        help_zh="看到你的社群邀请的人数：海报、二维码、朋友转发、公众号文章等。",
        help_en="People who see your invitation: posters, QR codes, shares, articles.",
        source=ILLUSTRATION,
    )
    join_rate: float = rate(
        20,
        zh="入群率",
        en="Join rate",
        help_zh="触达的人里有多少比例加入社群。",
        help_en="Share of the people reached who join the community.",
        source=ILLUSTRATION,
    )
    active_rate: float = rate(
        20,
        zh="活跃率",
        en="Active rate",
        help_zh="入群成员里一个月内有互动或浏览的比例。",
        help_en="Share of members who take part or at least read within a month.",
        source=ACTIVE_SOURCE,
    )
    purchase_rate: float = rate(
        10,
        zh="首购率",
        en="First-purchase rate",
        help_zh="活跃成员里下了第一单的比例。",
        help_en="Share of active members who place a first order.",
        source=NO_PUBLIC_FIGURE,
    )
    repeat_rate: float = rate(
        30,
        zh="复购率",
        en="Repeat rate",
        help_zh="首购的人里后来又买的比例。",
        help_en="Share of first-time buyers who buy again.",
        source=NO_PUBLIC_FIGURE,
    )
    order_value: float = number(
        80,
        zh="客单价",
        en="Order value",
        unit="yuan",
        ge=0,
        le=1_000_000,
        step=1,
        help_zh="每一单的平均金额。",
        help_en="Average amount of one order.",
        source=ILLUSTRATION,
    )
    repeat_orders: float = number(
        2,
        zh="每位复购者追加单数",
        en="Extra orders per repeat buyer",
        unit="orders",
        ge=0,
        le=1000,
        step=0.5,
        help_zh="复购的人在这段时间里平均又下了几单（不含第一单）。",
        help_en="Orders a repeat buyer places after the first one, on average, in the period.",
        source=ILLUSTRATION,
    )
    margin: float = rate(
        30,
        zh="毛利率",
        en="Gross margin",
        help_zh="收入扣掉商品成本后剩下的比例。",
        help_en="Share of revenue left after the cost of the goods.",
        source=ILLUSTRATION,
    )


class SensitivityRow(Outputs):
    """Gross profit when one rate moves down and up, the others held."""

    field: str
    low_rate: float
    high_rate: float
    low_profit: float
    high_profit: float

    @property
    def swing(self) -> float:
        """How far gross profit moves between the two ends."""
        return self.high_profit - self.low_profit


class FunnelResult(Outputs):
    """What the funnel yields over the period."""

    members: float = out("入群成员", "Members", "people")
    active: float = out("活跃成员", "Active members", "people")
    buyers: float = out("首购人数", "Buyers", "people")
    repeat_buyers: float = out("复购人数", "Repeat buyers", "people")
    orders: float = out("订单数", "Orders", "orders")
    revenue: float = out("收入", "Revenue", "yuan")
    gross_profit: float = out("毛利", "Gross profit", "yuan")
    value_per_member: float = out(
        "每位成员的毛利",
        "Profit per member",
        "yuan",
        "毛利 ÷ 入群成员：拉一个人进群值多少钱。",
        "Gross profit ÷ members: what one more member is worth.",
    )
    reach_to_buyer: float = out(
        "触达→首购转化",
        "Reach-to-buyer conversion",
        "percent",
        "首购人数 ÷ 触达人数。",
        "Buyers ÷ people reached.",
    )
    sensitivity: list[SensitivityRow] = out(
        "敏感度",
        "Sensitivity",
        "",
        "每个比率上下各动几个百分点时毛利的变化。",
        "Gross profit when each rate moves a few points down and up.",
    )


RATES = ("join_rate", "active_rate", "purchase_rate", "repeat_rate", "margin")
SWING_POINTS = 5.0


def _core(i: FunnelInputs) -> tuple[float, float, float, float, float, float, float]:
    members = i.reach * i.join_rate / 100
    active = members * i.active_rate / 100
    buyers = active * i.purchase_rate / 100
    repeat_buyers = buyers * i.repeat_rate / 100
    orders = buyers + repeat_buyers * i.repeat_orders
    revenue = orders * i.order_value
    profit = revenue * i.margin / 100
    return members, active, buyers, repeat_buyers, orders, revenue, profit


def sensitivity(i: FunnelInputs, points: float = SWING_POINTS) -> list[SensitivityRow]:
    """Gross profit with each rate moved `points` percentage points down and up (within 0–100)."""
    rows = []
    for name in RATES:
        value = float(getattr(i, name))
        low, high = max(0.0, value - points), min(100.0, value + points)
        low_profit = _core(i.model_copy(update={name: low}))[-1]
        high_profit = _core(i.model_copy(update={name: high}))[-1]
        rows.append(
            SensitivityRow(
                field=name,
                low_rate=low,
                high_rate=high,
                low_profit=low_profit,
                high_profit=high_profit,
            )
        )
    return sorted(rows, key=lambda r: r.swing, reverse=True)


def compute(i: FunnelInputs) -> FunnelResult:
    """Members, buyers, revenue and gross profit of the funnel, with its sensitivity."""
    members, active, buyers, repeat_buyers, orders, revenue, profit = _core(i)
    return FunnelResult(
        members=members,
        active=active,
        buyers=buyers,
        repeat_buyers=repeat_buyers,
        orders=orders,
        revenue=revenue,
        gross_profit=profit,
        value_per_member=profit / members if members > 0 else 0.0,
        reach_to_buyer=100 * buyers / i.reach if i.reach > 0 else 0.0,
        sensitivity=sensitivity(i),
    )


STAGES = (
    Label("触达", "Reached"),
    Label("入群", "Joined"),
    Label("活跃", "Active"),
    Label("首购", "First purchase"),
    Label("复购", "Repeat"),
)


def _stage_values(i: FunnelInputs, r: FunnelResult) -> list[float]:
    return [float(i.reach), r.members, r.active, r.buyers, r.repeat_buyers]


def chart(i: FunnelInputs, r: FunnelResult, lang: str) -> Any:
    """The funnel, stage by stage, with the share kept from the stage before."""
    fig = go.Figure(
        go.Funnel(
            y=[s.get(lang) for s in STAGES],
            x=_stage_values(i, r),
            textinfo="value+percent previous",
            texttemplate="%{value:,.0f}<br>%{percentPrevious:.1%}",
            marker={"color": COLORS[: len(STAGES)]},
        )
    )
    return layout(fig, Label("社群漏斗", "Community funnel").get(lang))


def tornado(i: FunnelInputs, r: FunnelResult, lang: str) -> Any:
    """Which rate matters most: gross profit when each rate moves ±5 points."""
    rows = list(reversed(r.sensitivity))
    names = [_rate_label(row.field).get(lang) for row in rows]
    base = r.gross_profit
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[row.low_profit - base for row in rows],
        base=base,
        orientation="h",
        name=Label(f"-{SWING_POINTS:g} 个百分点", f"-{SWING_POINTS:g} points").get(lang),
        marker_color=COLORS[3],
        customdata=[[row.low_rate, row.low_profit] for row in rows],
        hovertemplate="%{y}: %{customdata[0]:.1f}% → ¥%{customdata[1]:,.0f}<extra></extra>",
    )
    fig.add_bar(
        y=names,
        x=[row.high_profit - base for row in rows],
        base=base,
        orientation="h",
        name=Label(f"+{SWING_POINTS:g} 个百分点", f"+{SWING_POINTS:g} points").get(lang),
        marker_color=COLORS[0],
        customdata=[[row.high_rate, row.high_profit] for row in rows],
        hovertemplate="%{y}: %{customdata[0]:.1f}% → ¥%{customdata[1]:,.0f}<extra></extra>",
    )
    fig.add_vline(x=base, line_dash="dot", line_color="#555")
    fig.update_layout(
        barmode="overlay", xaxis_title=Label("毛利（元）", "Gross profit (¥)").get(lang)
    )
    title = Label(
        "哪个比率最值得提升（毛利敏感度）", "Which rate matters most (gross profit sensitivity)"
    )
    return layout(fig, title.get(lang))


def _rate_label(name: str) -> Label:
    return spec_of(name, FunnelInputs.model_fields[name]).label


def compare_chart(scenarios: Sequence[Scenario[FunnelInputs, FunnelResult]], lang: str) -> Any:
    """Each scenario's funnel as a line over the stages, on a log scale."""
    fig = go.Figure()
    for n, s in enumerate(scenarios):
        fig.add_scatter(
            x=[stage.get(lang) for stage in STAGES],
            y=_stage_values(s.inputs, s.result),
            mode="lines+markers",
            name=plain(s.name),
            line_color=COLORS[n % len(COLORS)],
        )
    fig.update_yaxes(type="log", title=Label("人数", "People").get(lang))
    return layout(fig, Label("漏斗对比", "Funnels compared").get(lang))


def details(i: FunnelInputs, r: FunnelResult, lang: str) -> list[dict[str, str]]:
    """Stage by stage: people, share of the stage before and of everyone reached."""
    values = _stage_values(i, r)
    head = Label("阶段", "Stage").get(lang), Label("人数", "People").get(lang)
    kept, of_reach = (
        Label("占上一阶段", "Of previous").get(lang),
        Label("占触达", "Of reached").get(lang),
    )
    rows = []
    for n, (stage, value) in enumerate(zip(STAGES, values, strict=True)):
        before = values[n - 1] if n else value
        rows.append(
            {
                head[0]: stage.get(lang),
                head[1]: format_value(value, "people", lang),
                kept: format_value(100 * value / before if before else 0.0, "percent", lang),
                of_reach: format_value(
                    100 * value / values[0] if values[0] else 0.0, "percent", lang
                ),
            }
        )
    return rows


def notes(i: FunnelInputs, r: FunnelResult) -> list[Note]:
    """Which rate to work on first, and the playbook for it."""
    top = r.sensitivity[0]
    zh, en = _rate_label(top.field).zh, _rate_label(top.field).en
    gain = top.high_profit - r.gross_profit
    found = [
        Note(
            Label(
                f"最值得先提升的是「{zh}」：再提高 {SWING_POINTS:g} 个百分点，毛利增加 "
                f"{format_value(gain, 'yuan', 'zh')}。",
                f"Work on {en} first: {SWING_POINTS:g} more points add "
                f"{format_value(gain, 'yuan', 'en')} of gross profit.",
            )
        )
    ]
    if i.active_rate < 10:
        found.append(
            Note(
                Label(
                    "活跃率低于 10%，低于常见社区基准（10%–30%）：先把群的气氛做起来。",
                    "Active rate is below the usual 10–30% community range: get the group lively first.",
                ),
                level="warning",
                playbooks=("launch-rules",),
            )
        )
    return found


CALCULATOR = Calculator(
    id="funnel",
    title=Label("社群漏斗", "Community funnel"),
    summary=Label(
        "从触达到入群、活跃、首购、复购，一层层算出成员、买家、收入和毛利，并找出最值得提升的比率。",
        "From reach to joined, active, first purchase and repeat: members, buyers, revenue and "
        "gross profit, and the rate worth improving first.",
    ),
    sections=("1.4.1", "3.1.2"),
    inputs=FunnelInputs,
    result=FunnelResult,
    compute=compute,
    chart=chart,
    compare_chart=compare_chart,
    headline=("members", "buyers", "revenue", "gross_profit", "value_per_member"),
    method=Label(
        "入群 = 触达 × 入群率；活跃 = 入群 × 活跃率；首购 = 活跃 × 首购率；复购 = 首购 × 复购率；"
        "订单 = 首购 + 复购 × 追加单数；收入 = 订单 × 客单价；毛利 = 收入 × 毛利率。"
        f"敏感度：每个比率单独上下移动 {SWING_POINTS:g} 个百分点（限制在 0–100%），其余不变。",
        "Members = reach × join rate; active = members × active rate; buyers = active × "
        "first-purchase rate; repeat buyers = buyers × repeat rate; orders = buyers + repeat buyers "
        "× extra orders; revenue = orders × order value; gross profit = revenue × margin. "
        f"Sensitivity: each rate moved {SWING_POINTS:g} points down and up (kept within 0–100%), "
        "the others held.",
    ),
    notes=notes,
    charts=(Chart(Label("敏感度", "Sensitivity"), tornado),),
    details=details,
)
