"""Fan value (book 2.1.4, 10.1.1): what one fan is worth against what it costs to win them.

A fan who joins buys in their first month; each month after, a share `monthly_churn` leaves.
So the expected number of buying months within the horizon H is
S(H) = 1 + (1 − c) + … + (1 − c)^(H−1) = (1 − (1 − c)^H) / c  (= H when c = 0),
lifetime value = monthly gross profit per fan × S(H), and payback is the first whole month n
with monthly profit × S(n) ≥ acquisition cost.
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
    format_value,
    number,
    out,
    rate,
    source,
)
from qunce.calculators.charts import COLORS, layout, plain

CHURN_SOURCE = source(
    "示例值。参考：一般在线社区约 15% 的成员 120 天后仍活跃（breezio），约合每月流失 38%；"
    "愿意买单的粉丝通常留得更久。",
    "Illustration. For reference, about 15% of an online community's members are still active "
    "after 120 days (breezio), roughly 38% a month; paying fans usually stay longer.",
    "https://breezio.com/benchmarks",
)
GOOD_RATIO = 3.0  # the common 3:1 LTV/CAC rule of thumb for a healthy acquisition spend


class FanValueInputs(Inputs):
    """Inputs of the fan value calculator."""

    acquisition_cost: float = number(
        30,
        zh="获客成本",
        en="Acquisition cost",
        unit="yuan",
        ge=0,
        le=100_000,
        step=1,
        help_zh="拉来一位粉丝平均花的钱：广告、赠品、活动、人工。",
        help_en="What winning one fan costs on average: ads, gifts, events, staff time.",
        source=ILLUSTRATION,
    )
    order_value: float = number(
        80,
        zh="客单价",
        en="Order value",
        unit="yuan",
        ge=0,
        le=1_000_000,
        step=1,
        help_zh="粉丝每一单的平均金额。",
        help_en="Average amount of one order.",
        source=ILLUSTRATION,
    )
    purchases_per_month: float = number(
        0.5,
        zh="每月购买次数",
        en="Purchases per month",
        unit="per_month",
        ge=0,
        le=100,
        step=0.1,
        help_zh="留下来的粉丝平均每月买几次；0.5 表示两个月一次。",
        help_en="How often a fan who stays buys in a month; 0.5 means every other month.",
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
    monthly_churn: float = rate(
        10,
        zh="月流失率",
        en="Monthly churn",
        help_zh="每个月离开（不再购买）的粉丝比例。",
        help_en="Share of fans who leave (stop buying) each month.",
        source=CHURN_SOURCE,
    )
    horizon_months: int = number(
        36,
        zh="计算期",
        en="Horizon",
        unit="months",
        ge=1,
        le=120,
        step=1,
        help_zh="只算这么多个月内的价值；太远的未来不可靠。",
        help_en="Count value only within this many months; the far future is guesswork.",
        source=ILLUSTRATION,
    )


class FanValueResult(Outputs):
    """What a fan is worth."""

    monthly_profit: float = out(
        "每位粉丝月毛利",
        "Monthly profit",
        "yuan",
        "客单价 × 每月购买次数 × 毛利率。",
        "Order value × purchases per month × margin.",
    )
    expected_months: float = out(
        "预期购买月数",
        "Buying months",
        "months",
        "计算期内一位新粉丝预期留下来购买的月数。",
        "Months a new fan is expected to keep buying, within the horizon.",
    )
    lifetime_value: float = out(
        "终身价值 LTV",
        "Lifetime value",
        "yuan",
        "计算期内一位粉丝预期带来的毛利。",
        "Expected gross profit from one fan within the horizon.",
    )
    ltv_to_cac: float | None = out(
        "LTV / 获客成本",
        "LTV / CAC",
        "ratio",
        "终身价值是获客成本的几倍；获客成本为 0 时没有意义。",
        "Lifetime value over acquisition cost; undefined when acquisition is free.",
        none=Label("获客免费", "free fans"),
    )
    net_value: float = out(
        "扣除获客成本后的价值",
        "Value after acquisition cost",
        "yuan",
        "终身价值 − 获客成本。",
        "Lifetime value − acquisition cost.",
    )
    payback_months: int | None = out(
        "回本月数",
        "Payback",
        "months",
        "累计毛利第一次覆盖获客成本的月份；空表示永远回不了本。",
        "The month when cumulative gross profit first covers the acquisition cost; "
        "empty when it never does.",
        none=Label("回不了本", "never"),
    )
    cumulative_profit: list[float] = out(
        "累计毛利（逐月）",
        "Cumulative gross profit by month",
        "yuan",
    )


def buying_months(churn: float, months: int) -> float:
    """Expected buying months within `months` when a fraction `churn` (0–1) leaves each month."""
    if churn <= 0:
        return float(months)
    if churn >= 1:
        return 1.0 if months >= 1 else 0.0
    # expm1/log1p keep a tiny churn exact, where 1 − (1 − c)^H would round to 0.
    return -math.expm1(months * math.log1p(-churn)) / churn


def payback(monthly_profit: float, churn: float, cost: float) -> int | None:
    """The first whole month when cumulative expected profit covers `cost`; None if never."""
    if cost <= 0:
        return 0
    if monthly_profit <= 0:
        return None
    if churn >= 1:
        return 1 if monthly_profit >= cost else None
    if churn > 0 and cost * churn / monthly_profit >= 1:
        return None
    # Rounding must not push an exactly covered cost into the next month.
    due = cost * (1 - 1e-12)

    def covered(months: int) -> bool:
        return monthly_profit * buying_months(churn, months) >= due

    # The cumulative profit only grows: double until covered, then bisect.
    high = 1
    while not covered(high):
        if high > 10**15:
            return None  # covered only in the limit, as far as floating point can tell
        high *= 2
    low = high // 2
    while high - low > 1:
        middle = (low + high) // 2
        if covered(middle):
            high = middle
        else:
            low = middle
    return high


def _ratio(value: float, cost: float) -> float | None:
    """value / cost, or None when the cost is (as good as) nothing."""
    if cost <= 0:
        return None
    ratio = value / cost
    return ratio if math.isfinite(ratio) else None


def compute(i: FanValueInputs) -> FanValueResult:
    """Lifetime value, LTV/CAC and payback of one fan."""
    churn = i.monthly_churn / 100
    monthly = i.order_value * i.purchases_per_month * i.margin / 100
    months = buying_months(churn, i.horizon_months)
    ltv = monthly * months
    cumulative = [monthly * buying_months(churn, n) for n in range(0, i.horizon_months + 1)]
    return FanValueResult(
        monthly_profit=monthly,
        expected_months=months,
        lifetime_value=ltv,
        ltv_to_cac=_ratio(ltv, i.acquisition_cost),
        net_value=ltv - i.acquisition_cost,
        payback_months=payback(monthly, churn, i.acquisition_cost),
        cumulative_profit=cumulative,
    )


def chart(i: FanValueInputs, r: FanValueResult, lang: str) -> Any:
    """Cumulative gross profit per fan by month against the acquisition cost."""
    months = list(range(len(r.cumulative_profit)))
    fig = go.Figure()
    fig.add_scatter(
        x=months,
        y=r.cumulative_profit,
        mode="lines",
        line_color=COLORS[0],
        name=Label("每位粉丝累计毛利", "Cumulative profit per fan").get(lang),
        hovertemplate="%{x}: ¥%{y:,.0f}<extra></extra>",
    )
    fig.add_hline(
        y=i.acquisition_cost,
        line_dash="dash",
        line_color=COLORS[3],
        annotation_text=Label("获客成本", "Acquisition cost").get(lang),
        annotation_position="top left",
    )
    if r.payback_months is not None and 0 < r.payback_months <= i.horizon_months:
        fig.add_vline(
            x=r.payback_months,
            line_dash="dot",
            line_color=COLORS[2],
            annotation_text=Label(
                f"第 {r.payback_months} 个月回本", f"Pays back in month {r.payback_months}"
            ).get(lang),
        )
    fig.update_xaxes(title=Label("月", "Month").get(lang))
    fig.update_yaxes(tickprefix="¥", separatethousands=True)
    return layout(fig, Label("粉丝价值累积", "Fan value over time").get(lang))


def compare_chart(scenarios: Sequence[Scenario[FanValueInputs, FanValueResult]], lang: str) -> Any:
    """Each scenario's cumulative profit per fan, with its acquisition cost as a dashed line."""
    fig = go.Figure()
    for n, s in enumerate(scenarios):
        color = COLORS[n % len(COLORS)]
        months = list(range(len(s.result.cumulative_profit)))
        fig.add_scatter(
            x=months,
            y=s.result.cumulative_profit,
            mode="lines",
            name=plain(s.name),
            line_color=color,
        )
        fig.add_scatter(
            x=[0, months[-1]],
            y=[s.inputs.acquisition_cost] * 2,
            mode="lines",
            line={"color": color, "dash": "dash"},
            showlegend=False,
            name=f"{plain(s.name)} CAC",
            hoverinfo="name+y",
        )
    fig.update_xaxes(title=Label("月", "Month").get(lang))
    fig.update_yaxes(tickprefix="¥", separatethousands=True)
    return layout(
        fig,
        Label(
            "粉丝价值对比（虚线为获客成本）", "Fan value compared (dashed: acquisition cost)"
        ).get(lang),
    )


def notes(i: FanValueInputs, r: FanValueResult) -> list[Note]:
    """Rules of thumb the numbers miss."""
    found: list[Note] = []
    if r.payback_months is None:
        found.append(
            Note(
                Label(
                    "这样算永远收不回获客成本：降低获客成本、提高毛利或复购，或者减少流失。",
                    "The acquisition cost is never earned back: spend less per fan, raise margin or "
                    "purchase frequency, or keep fans longer.",
                ),
                level="warning",
                playbooks=("user-dialogue",),
            )
        )
    elif r.payback_months > i.horizon_months:
        found.append(
            Note(
                Label(
                    f"要 {r.payback_months} 个月才回本，超出了 {i.horizon_months} 个月的计算期。",
                    f"Payback takes {r.payback_months} months, beyond the {i.horizon_months}-month horizon.",
                ),
                level="warning",
            )
        )
    if r.ltv_to_cac is not None and r.ltv_to_cac < GOOD_RATIO:
        found.append(
            Note(
                Label(
                    f"LTV/获客成本为 {format_value(r.ltv_to_cac, 'ratio', 'zh')}，低于常用的 3 倍经验线"
                    "（经验法则，非本书数据）。",
                    f"LTV/CAC is {format_value(r.ltv_to_cac, 'ratio', 'en')}, under the common 3× "
                    "rule of thumb (a rule of thumb, not from the book).",
                ),
                level="warning",
            )
        )
    return found


CALCULATOR = Calculator(
    id="fan-value",
    title=Label("粉丝价值", "Fan value"),
    summary=Label(
        "一位粉丝在计算期内能带来多少毛利，是获客成本的几倍，几个月回本。",
        "What one fan brings in gross profit over a horizon, how that compares with what it cost "
        "to win them, and when it pays back.",
    ),
    sections=("2.1.4", "10.1.1"),
    inputs=FanValueInputs,
    result=FanValueResult,
    compute=compute,
    chart=chart,
    compare_chart=compare_chart,
    headline=(
        "lifetime_value",
        "ltv_to_cac",
        "payback_months",
        "monthly_profit",
        "expected_months",
    ),
    method=Label(
        "每月毛利 m = 客单价 × 每月购买次数 × 毛利率；新粉丝第一个月一定购买，之后每月有比例 c 流失。"
        "计算期 H 内预期购买月数 S(H) = (1 − (1 − c)^H) / c（c = 0 时为 H）；LTV = m × S(H)；"
        "回本月数是 m × S(n) ≥ 获客成本的最小整数 n。",
        "Monthly profit m = order value × purchases per month × margin. A new fan buys in their "
        "first month; each month after, a share c leaves. Expected buying months within the "
        "horizon H: S(H) = (1 − (1 − c)^H) / c (H when c = 0); LTV = m × S(H); payback is the "
        "smallest whole n with m × S(n) ≥ acquisition cost.",
    ),
    notes=notes,
)
