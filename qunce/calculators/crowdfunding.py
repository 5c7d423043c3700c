"""Crowdfunding planner (book 9.1.2, 9.3.2): reward campaigns and paid memberships.

Demand: each of the community's N members backs independently with probability p (the
conversion rate), so the number of backers who want in follows Binomial(N, p); its mean N·p
drives the expected figures. Backers spread over the tiers by their shares (given, or else in
proportion to the caps, or equally when a tier has no cap); once a tier sells out, further
backers who wanted it are not counted. The chance of reaching the goal is
P(Binomial(N, p) ≥ backers needed): exact up to 20,000 members, normal approximation with
continuity correction above. It takes the rate as known; the real spread is wider.

Money: pledged → minus dropped pledges → minus platform and payment fees = funds after fees;
minus reward unit costs and shipping (for backers who paid) and fixed costs = profit. A reward
campaign is all-or-nothing: below the goal nothing is collected. A paid membership keeps what
it sells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import plotly.graph_objects as go
from pydantic import Field, model_validator

from qunce.calculators.base import (
    ILLUSTRATION,
    Calculator,
    Chart,
    Inputs,
    Label,
    Note,
    Outputs,
    Scenario,
    choice,
    format_value,
    number,
    out,
    rate,
    source,
    table,
)
from qunce.calculators.charts import COLORS, layout, plain
from qunce.calculators.errors import inconsistent

EXACT_LIMIT = 20_000
KICKSTARTER_SUCCESS = 43.83  # share of Kickstarter projects funded, c. 2012–13 (CASE_FACTS.md)

PLATFORM_SOURCE = source(
    "Kickstarter 平台费 5%，只在众筹成功时收取",
    "Kickstarter charges a 5% platform fee, only when the project is funded",
    "https://help.kickstarter.com/hc/en-us/articles/115005028634",
)
PAYMENT_SOURCE = source(
    "Stripe 支付手续费约 3%–5%（3% + $0.20/笔；$10 以下 5% + $0.05）",
    "Stripe payment processing, about 3–5% (3% + $0.20 a pledge; 5% + $0.05 under $10)",
    "bestcrowdfundingcampaigns.com/blog/kickstarter-fees-understanding-the-costs-of-your-campaign",
)
DROPPED_SOURCE = source(
    "众筹从业者估计 3%–5% 的承诺款最终扣不到（经验估计）",
    "Practitioners estimate 3–5% of pledges fail to collect (practitioner estimate)",
    "redlib.cakez.net/r/kickstarter/rising",
)


class Tier(Inputs):
    """One reward tier or membership level."""

    name: str = Field(
        min_length=1,
        max_length=40,
        description="name shown to backers",
        json_schema_extra={
            "label": {"zh": "档位", "en": "Tier"},
            "help": {"zh": "档位名称", "en": "Name of the tier"},
            "unit": "",
        },
    )
    price: float = number(
        ...,
        zh="价格",
        en="Price",
        unit="yuan",
        gt=0,
        le=1_000_000,
        step=1,
        help_zh="支持者为这一档付的钱。",
        help_en="What a backer pays for this tier.",
    )
    unit_cost: float = number(
        0,
        zh="单位成本",
        en="Unit cost",
        unit="yuan",
        ge=0,
        le=1_000_000,
        step=1,
        help_zh="兑现这一档的成本（商品、礼品、服务），不含运费。",
        help_en="Cost of fulfilling the tier (goods, gifts, service), shipping excluded.",
    )
    cap: int | None = number(
        None,
        zh="限量",
        en="Cap",
        unit="people",
        ge=1,
        le=100_000_000,
        step=1,
        help_zh="这一档最多卖几份；留空表示不限。",
        help_en="Most backers this tier takes; empty for no limit.",
    )
    share: float | None = number(
        None,
        zh="选择比例",
        en="Share of backers",
        unit="percent",
        ge=0,
        le=100,
        step=1,
        help_zh="选这一档的支持者比例；留空时按限量分配（有不限量的档位时平均分）。",
        help_en="Share of backers who pick this tier; empty: split by caps (equally when a tier "
        "has no cap).",
    )


def _default_tiers() -> list[Tier]:
    return [
        Tier(name="早鸟 Early bird", price=69, unit_cost=25, cap=200),
        Tier(name="标准 Standard", price=89, unit_cost=25),
        Tier(name="双人 Pair", price=159, unit_cost=48, cap=300),
    ]


MODES = {
    "reward": Label("回报众筹（达标才到账）", "Reward campaign (all or nothing)"),
    "membership": Label("付费会员（卖多少收多少）", "Paid membership (keep what you sell)"),
}


class CrowdfundingInputs(Inputs):
    """Inputs of the crowdfunding planner."""

    mode: Literal["reward", "membership"] = choice(
        "reward",
        zh="模式",
        en="Mode",
        choices=MODES,
        help_zh="回报众筹：在平台上筹款，达不到目标一分钱都收不到；付费会员：直接卖会员席位。",
        help_en="Reward: a platform campaign that collects nothing below its goal. "
        "Membership: sell membership seats directly.",
    )
    goal: float = number(
        30_000,
        zh="目标金额",
        en="Goal",
        unit="yuan",
        gt=0,
        le=1_000_000_000,
        step=1000,
        help_zh="要筹到的承诺金额（扣费前）。",
        help_en="Pledges to raise, before fees.",
        source=ILLUSTRATION,
    )
    tiers: list[Tier] = table(
        _default_tiers,
        zh="档位",
        en="Tiers",
        help_zh="每一档的名称、价格、单位成本、限量和（可选）选择比例。",
        help_en="Each tier's name, price, unit cost, cap and (optional) share of backers.",
        source=ILLUSTRATION,
    )
    platform_fee: float = rate(
        5,
        zh="平台费率",
        en="Platform fee",
        help_zh="众筹平台从筹到的钱里抽的比例；自己直接卖时填 0。",
        help_en="What the platform keeps of the funds; 0 when you sell directly.",
        source=PLATFORM_SOURCE,
        step=0.1,
    )
    payment_fee: float = rate(
        3,
        zh="支付手续费率",
        en="Payment fee",
        help_zh="支付渠道收的手续费比例。",
        help_en="What the payment processor keeps.",
        source=PAYMENT_SOURCE,
        step=0.1,
    )
    shipping_per_backer: float = number(
        12,
        zh="每位支持者运费",
        en="Shipping per backer",
        unit="yuan",
        ge=0,
        le=100_000,
        step=1,
        help_zh="给每位支持者寄回报的平均运费；不寄东西填 0。",
        help_en="Average cost of sending a backer their reward; 0 when nothing ships.",
        source=ILLUSTRATION,
    )
    dropped_pledge_rate: float = rate(
        4,
        zh="扣款失败率",
        en="Dropped pledges",
        help_zh="承诺了但最后扣不到钱的比例（卡失效、余额不足）。",
        help_en="Share of pledges that fail to collect (expired cards, declined payments).",
        source=DROPPED_SOURCE,
    )
    community_size: int = number(
        10_000,
        zh="社群人数",
        en="Community size",
        unit="people",
        ge=0,
        le=1_000_000_000,
        step=100,
        help_zh="会看到这次众筹的社群成员和粉丝人数。",
        help_en="Community members and fans who will hear about the campaign.",
        source=ILLUSTRATION,
    )
    conversion_rate: float = rate(
        3,
        zh="支持转化率",
        en="Backer conversion",
        help_zh="看到的人里最后支持的比例。",
        help_en="Share of them who back the campaign.",
        source=ILLUSTRATION,
        step=0.1,
    )
    fixed_costs: float = number(
        8_000,
        zh="固定成本",
        en="Fixed costs",
        unit="yuan",
        ge=0,
        le=1_000_000_000,
        step=1000,
        help_zh="不随支持人数变化的成本：视频、设计、打样、人工。",
        help_en="Costs that do not grow with backers: video, design, samples, staff.",
        source=ILLUSTRATION,
    )

    @model_validator(mode="after")
    def _consistent_tiers(self) -> CrowdfundingInputs:
        names = [t.name.strip() for t in self.tiers]
        for n, name in enumerate(names):
            if name in names[:n]:
                raise inconsistent(
                    "tiers",
                    f"档位名称“{name}”重复了，每一档要有自己的名字。",
                    f"the tier name {name!r} is used twice; give each tier its own name.",
                )
        shares = [t.share for t in self.tiers if t.share is not None]
        total = sum(shares)
        if total > 100 + 1e-6:
            raise inconsistent(
                "tiers",
                f"选择比例加起来是 {total:g}%，不能超过 100%。",
                f"the shares add up to {total:g}%; they cannot exceed 100%.",
            )
        if len(shares) == len(self.tiers) and abs(total - 100) > 1e-6:
            raise inconsistent(
                "tiers",
                f"每一档都填了选择比例，加起来应为 100%，现在是 {total:g}%。",
                f"every tier has a share, so they must add up to 100%; they add up to {total:g}%.",
            )
        return self


class CrowdfundingResult(Outputs):
    """Backers, funds, profit and the chance of reaching the goal."""

    average_pledge: float = out(
        "平均承诺金额",
        "Average pledge",
        "yuan",
        "按选择比例加权的平均价格（尚未售罄时）。",
        "Price weighted by the tiers' shares (before any sells out).",
    )
    backers_needed: int | None = out(
        "达标所需支持者",
        "Backers needed",
        "people",
        "空表示所有档位卖光也达不到目标。",
        "Empty when even selling out every tier misses the goal.",
        none=Label("卖光也达不到", "out of reach"),
    )
    expected_backers: float = out(
        "预期支持者",
        "Expected backers",
        "people",
        "社群人数 × 支持转化率，扣掉售罄档位挤出去的人。",
        "Community size × conversion, less those turned away by sold-out tiers.",
    )
    probability_goal: float = out(
        "达标概率",
        "Chance of goal",
        "percent",
        "把支持人数看作二项分布 Binomial(社群人数, 转化率)。",
        "Backers taken as Binomial(community size, conversion rate).",
    )
    pledged: float = out("预期承诺金额", "Expected pledges", "yuan")
    funded: bool = out("达到目标", "Goal reached", "")
    collected: float = out(
        "实际扣到的钱", "Collected", "yuan", "扣除扣款失败之后。", "After dropped pledges."
    )
    fees: float = out("平台和支付费用", "Platform and payment fees", "yuan")
    funds_after_fees: float = out("扣费后到账", "Funds after fees", "yuan")
    reward_costs: float = out("回报成本", "Reward costs", "yuan")
    shipping_costs: float = out("运费", "Shipping", "yuan")
    profit: float = out(
        "利润",
        "Profit",
        "yuan",
        "到账 − 回报成本 − 运费 − 固定成本。",
        "Funds after fees − reward costs − shipping − fixed costs.",
    )
    break_even_backers: int | None = out(
        "保本支持者数",
        "Break-even",
        "people",
        "利润第一次不为负时的支持人数；空表示怎么卖都不保本。",
        "Backers at which profit first stops being negative; empty when it never does.",
        none=Label("不会保本", "never"),
    )
    gross_if_sold_out: float | None = out(
        "全部售罄金额",
        "If all sell out",
        "yuan",
        "各档价格 × 限量之和；有不限量的档位时为空。",
        "Sum of price × cap over the tiers; empty when a tier has no cap.",
    )
    tier_backers: list[float] = out("各档支持者", "Backers per tier", "people")


def tier_shares(tiers: Sequence[Tier]) -> list[float]:
    """Each tier's share of backers (fractions adding up to 1)."""
    given = sum(t.share for t in tiers if t.share is not None)
    open_tiers = [t for t in tiers if t.share is None]
    left = max(0.0, 100 - given)
    by_cap = all(t.cap is not None for t in open_tiers)
    weights = {id(t): float(t.cap) if by_cap and t.cap is not None else 1.0 for t in open_tiers}
    total_weight = sum(weights.values())
    out_shares = []
    for t in tiers:
        if t.share is not None:
            out_shares.append(t.share / 100)
        elif total_weight > 0:
            out_shares.append(left / 100 * weights[id(t)] / total_weight)
        else:
            out_shares.append(0.0)
    return out_shares


def allocate(demand: float, tiers: Sequence[Tier], shares: Sequence[float]) -> list[float]:
    """Backers per tier when `demand` people want in: their share, up to the tier's cap."""
    return [
        min(demand * s, float(t.cap)) if t.cap is not None else demand * s
        for t, s in zip(tiers, shares, strict=True)
    ]


def first_demand(
    target: float, tiers: Sequence[Tier], shares: Sequence[float], weights: Sequence[float]
) -> float | None:
    """The least demand at which Σ backers_i × weight_i reaches `target`; None if it never does.

    The sum is piecewise linear in demand, bending where a tier sells out.
    """
    if target <= 0:
        return 0.0
    # Sums of prices × caps carry rounding error; a goal equal to the sold-out total is reachable.
    target -= 1e-9 * target
    ends = sorted(
        {
            float(t.cap) / s
            for t, s in zip(tiers, shares, strict=True)
            if t.cap is not None and s > 0
        }
    )
    start, value = 0.0, 0.0
    for end in [*ends, math.inf]:
        slope = sum(
            s * w
            for t, s, w in zip(tiers, shares, weights, strict=True)
            if s > 0 and (t.cap is None or float(t.cap) / s > start)
        )
        if slope > 0 and (end == math.inf or value + slope * (end - start) >= target):
            return start + (target - value) / slope
        if end == math.inf:
            return None
        value += slope * (end - start)
        start = end
    return None


def tail_probability(n: int, p: float, k: int) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p): exact up to 20,000 trials, else normal approximation."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    if n > EXACT_LIMIT:
        sd = math.sqrt(n * p * (1 - p))
        z = (k - 0.5 - n * p) / sd
        return 0.5 * math.erfc(z / math.sqrt(2))
    mean = n * p

    def log_pmf(j: int) -> float:
        return (
            math.lgamma(n + 1)
            - math.lgamma(j + 1)
            - math.lgamma(n - j + 1)
            + j * math.log(p)
            + (n - j) * math.log1p(-p)
        )

    odds = p / (1 - p)
    if k > mean:
        # Sum the upper tail from k upward: the terms only shrink from there.
        term = math.exp(log_pmf(k))
        total = 0.0
        j = k
        while j <= n and term > 0:
            total += term
            if term < total * 1e-17:
                break
            term *= (n - j) / (j + 1) * odds
            j += 1
        return min(1.0, total)
    # Sum the lower tail below k downward and take the complement.
    term = math.exp(log_pmf(k - 1))
    total = 0.0
    j = k - 1
    while j >= 0 and term > 0:
        total += term
        if term < total * 1e-17:
            break
        term *= j / (n - j + 1) / odds
        j -= 1
    return max(0.0, 1.0 - total)


class Money(Outputs):
    """Where the money goes at one level of demand."""

    backers: float
    pledged: float
    funded: bool
    collected: float
    fees: float
    funds_after_fees: float
    reward_costs: float
    shipping_costs: float
    profit: float
    tier_backers: list[float]


def money_at(i: CrowdfundingInputs, demand: float, shares: Sequence[float] | None = None) -> Money:
    """The money flow when `demand` backers want in."""
    shares = tier_shares(i.tiers) if shares is None else shares
    per_tier = allocate(demand, i.tiers, shares)
    backers = sum(per_tier)
    pledged = sum(b * t.price for b, t in zip(per_tier, i.tiers, strict=True))
    funded = i.mode == "membership" or pledged >= i.goal - 1e-9
    keep = 1 - i.dropped_pledge_rate / 100
    if funded:
        collected = pledged * keep
        fees = collected * (i.platform_fee + i.payment_fee) / 100
        rewards = keep * sum(b * t.unit_cost for b, t in zip(per_tier, i.tiers, strict=True))
        shipping = keep * backers * i.shipping_per_backer
    else:
        collected = fees = rewards = shipping = 0.0
    after_fees = collected - fees
    return Money(
        backers=backers,
        pledged=pledged,
        funded=funded,
        collected=collected,
        fees=fees,
        funds_after_fees=after_fees,
        reward_costs=rewards,
        shipping_costs=shipping,
        profit=after_fees - rewards - shipping - i.fixed_costs,
        tier_backers=per_tier,
    )


MOST_PEOPLE = 1e12  # needing more backers than this means "out of reach", not a number


def _whole(demand: float | None) -> int | None:
    if demand is None or not demand <= MOST_PEOPLE:
        return None
    # A hair of tolerance so that 8,000.0000001 backers (floating point) counts as 8,000.
    return max(0, math.ceil(demand - 1e-6))


def needed_for_goal(i: CrowdfundingInputs, shares: Sequence[float]) -> int | None:
    """Backers who must want in for pledges to reach the goal; None if the tiers cannot."""
    return _whole(first_demand(i.goal, i.tiers, shares, [t.price for t in i.tiers]))


def break_even(i: CrowdfundingInputs, shares: Sequence[float]) -> int | None:
    """Backers at which profit first stops being negative; None if it never does."""
    keep = 1 - i.dropped_pledge_rate / 100
    fee = (i.platform_fee + i.payment_fee) / 100
    margins = [keep * (t.price * (1 - fee) - t.unit_cost - i.shipping_per_backer) for t in i.tiers]
    demand = _whole(first_demand(i.fixed_costs, i.tiers, shares, margins))
    if demand is None:
        return None
    if i.mode == "reward":
        goal = needed_for_goal(i, shares)
        if goal is None:
            return None
        demand = max(demand, goal)
    if money_at(i, demand, shares).profit < -1e-6:
        return None
    return demand


def compute(i: CrowdfundingInputs) -> CrowdfundingResult:
    """Backers needed, funds after fees, profit, break-even and the chance of reaching the goal."""
    shares = tier_shares(i.tiers)
    demand = i.community_size * i.conversion_rate / 100
    money = money_at(i, demand, shares)
    needed = needed_for_goal(i, shares)
    chance = (
        0.0
        if needed is None
        else tail_probability(i.community_size, i.conversion_rate / 100, needed)
    )
    capacity = (
        sum(float(t.cap) * t.price for t in i.tiers if t.cap is not None)
        if all(t.cap is not None for t in i.tiers)
        else None
    )
    return CrowdfundingResult(
        average_pledge=sum(s * t.price for s, t in zip(shares, i.tiers, strict=True)),
        backers_needed=needed,
        expected_backers=money.backers,
        probability_goal=100 * chance,
        pledged=money.pledged,
        funded=money.funded and money.pledged >= i.goal - 1e-9,
        collected=money.collected,
        fees=money.fees,
        funds_after_fees=money.funds_after_fees,
        reward_costs=money.reward_costs,
        shipping_costs=money.shipping_costs,
        profit=money.profit,
        break_even_backers=break_even(i, shares),
        gross_if_sold_out=capacity,
        tier_backers=money.tier_backers,
    )


def chart(i: CrowdfundingInputs, r: CrowdfundingResult, lang: str) -> Any:
    """Where the expected pledges go: a waterfall from pledges to profit."""
    dropped = r.pledged - r.collected if r.funded or i.mode == "membership" else r.pledged
    steps = [
        (Label("承诺金额", "Pledged"), r.pledged, "absolute"),
        (
            Label(
                "扣款失败" if r.funded or i.mode == "membership" else "未达标，退回",
                "Dropped" if r.funded or i.mode == "membership" else "Not funded",
            ),
            -dropped,
            "relative",
        ),
        (Label("平台和支付费", "Fees"), -r.fees, "relative"),
        (Label("回报成本", "Rewards"), -r.reward_costs, "relative"),
        (Label("运费", "Shipping"), -r.shipping_costs, "relative"),
        (Label("固定成本", "Fixed costs"), -i.fixed_costs, "relative"),
        (Label("利润", "Profit"), r.profit, "total"),
    ]
    fig = go.Figure(
        go.Waterfall(
            x=[s[0].get(lang) for s in steps],
            y=[s[1] for s in steps],
            measure=[s[2] for s in steps],
            text=[format_value(s[1], "yuan", lang) for s in steps],
            textposition="outside",
            increasing={"marker": {"color": COLORS[2]}},
            decreasing={"marker": {"color": COLORS[3]}},
            totals={"marker": {"color": COLORS[0]}},
            connector={"line": {"color": "#999"}},
        )
    )
    title = Label("预期资金去向", "Where the expected money goes").get(lang)
    if i.goal <= 2 * max(r.pledged, 1.0):
        fig.add_hline(
            y=i.goal,
            line_dash="dot",
            line_color=COLORS[1],
            annotation_text=Label("目标", "Goal").get(lang),
            annotation_position="top right",
        )
    else:
        # A goal far above the pledges would squash every bar; name it instead.
        goal = format_value(i.goal, "yuan", lang)
        title += Label(f"（目标 {goal}，远高于预期）", f" (goal {goal}, far above)").get(lang)
    fig.update_yaxes(tickprefix="¥", separatethousands=True)
    return layout(fig, title)


def _demand_axis(i: CrowdfundingInputs, r: CrowdfundingResult) -> list[float]:
    marks = [r.expected_backers, float(r.backers_needed or 0), float(r.break_even_backers or 0)]
    top = max(10.0, 1.5 * max(marks), i.community_size * i.conversion_rate / 100 * 1.5)
    return [top * n / 100 for n in range(101)]


def profit_chart(i: CrowdfundingInputs, r: CrowdfundingResult, lang: str) -> Any:
    """Pledges and profit as the number of backers grows, with the goal and break-even."""
    shares = tier_shares(i.tiers)
    xs = _demand_axis(i, r)
    flows = [money_at(i, x, shares) for x in xs]
    fig = go.Figure()
    fig.add_scatter(
        x=xs,
        y=[f.pledged for f in flows],
        name=Label("承诺金额", "Pledged").get(lang),
        line_color=COLORS[0],
    )
    fig.add_scatter(
        x=xs,
        y=[f.profit for f in flows],
        name=Label("利润", "Profit").get(lang),
        line_color=COLORS[2],
    )
    fig.add_hline(
        y=i.goal,
        line_dash="dot",
        line_color=COLORS[1],
        annotation_text=Label("目标", "Goal").get(lang),
    )
    fig.add_hline(y=0, line_color="#999")
    if r.break_even_backers is not None:
        fig.add_vline(
            x=r.break_even_backers,
            line_dash="dash",
            line_color=COLORS[2],
            annotation_text=Label("保本", "Break-even").get(lang),
        )
    fig.add_vline(
        x=r.expected_backers,
        line_dash="dot",
        line_color=COLORS[4],
        annotation_text=Label("预期", "Expected").get(lang),
        annotation_position="bottom right",
    )
    fig.update_xaxes(title=Label("想支持的人数", "Backers who want in").get(lang))
    fig.update_yaxes(tickprefix="¥", separatethousands=True)
    return layout(fig, Label("支持人数与利润", "Backers, pledges and profit").get(lang))


def chance_chart(i: CrowdfundingInputs, r: CrowdfundingResult, lang: str) -> Any:
    """The chance of reaching the goal as the conversion rate varies."""
    top = min(100.0, max(2 * i.conversion_rate, 1.0))
    rates = [top * n / 60 for n in range(61)]
    needed = r.backers_needed
    chances = [
        0.0 if needed is None else 100 * tail_probability(i.community_size, x / 100, needed)
        for x in rates
    ]
    fig = go.Figure()
    fig.add_scatter(
        x=rates,
        y=chances,
        mode="lines",
        line_color=COLORS[0],
        name=Label("达标概率", "Chance").get(lang),
    )
    fig.add_vline(
        x=i.conversion_rate,
        line_dash="dot",
        line_color=COLORS[3],
        annotation_text=Label("当前", "Now").get(lang),
    )
    fig.add_hline(
        y=KICKSTARTER_SUCCESS,
        line_dash="dash",
        line_color="#999",
        annotation_text=Label("Kickstarter 项目成功率约 44%", "Kickstarter success rate ≈ 44%").get(
            lang
        ),
        annotation_position="bottom right",
    )
    fig.update_xaxes(title=Label("支持转化率（%）", "Backer conversion (%)").get(lang))
    fig.update_yaxes(
        title=Label("达标概率（%）", "Chance of reaching the goal (%)").get(lang), range=[0, 101]
    )
    return layout(fig, Label("转化率与达标概率", "Conversion and the chance of success").get(lang))


def compare_chart(
    scenarios: Sequence[Scenario[CrowdfundingInputs, CrowdfundingResult]], lang: str
) -> Any:
    """Each scenario's profit as backers grow."""
    fig = go.Figure()
    for n, s in enumerate(scenarios):
        xs = _demand_axis(s.inputs, s.result)
        shares = tier_shares(s.inputs.tiers)
        fig.add_scatter(
            x=xs,
            y=[money_at(s.inputs, x, shares).profit for x in xs],
            name=plain(s.name),
            line_color=COLORS[n % len(COLORS)],
        )
    fig.add_hline(y=0, line_color="#999")
    fig.update_xaxes(title=Label("想支持的人数", "Backers who want in").get(lang))
    fig.update_yaxes(title=Label("利润（元）", "Profit (¥)").get(lang))
    return layout(fig, Label("利润对比", "Profit compared").get(lang))


def details(i: CrowdfundingInputs, r: CrowdfundingResult, lang: str) -> list[dict[str, str]]:
    """Tier by tier: price, cap, share of backers, expected backers and pledges."""
    shares = tier_shares(i.tiers)
    cols = [
        Label(*pair).get(lang)
        for pair in (
            ("档位", "Tier"),
            ("价格", "Price"),
            ("限量", "Cap"),
            ("选择比例", "Share"),
            ("预期支持者", "Expected backers"),
            ("承诺金额", "Pledges"),
            ("售罄", "Sold out"),
        )
    ]
    rows = []
    for tier, share, backers in zip(i.tiers, shares, r.tier_backers, strict=True):
        sold_out = tier.cap is not None and backers >= tier.cap - 1e-9
        rows.append(
            dict(
                zip(
                    cols,
                    [
                        tier.name,
                        format_value(tier.price, "yuan", lang),
                        format_value(tier.cap, "people", lang)
                        if tier.cap is not None
                        else Label("不限", "no cap").get(lang),
                        format_value(100 * share, "percent", lang),
                        format_value(backers, "people", lang),
                        format_value(backers * tier.price, "yuan", lang),
                        Label("是", "yes").get(lang) if sold_out else "",
                    ],
                    strict=True,
                )
            )
        )
    return rows


def notes(i: CrowdfundingInputs, r: CrowdfundingResult) -> list[Note]:
    """Warnings about goals, caps, fees and the success base rate."""
    found: list[Note] = []
    if r.backers_needed is None:
        sold_out = (
            format_value(r.gross_if_sold_out, "yuan", "zh"),
            format_value(r.gross_if_sold_out, "yuan", "en"),
        )
        found.append(
            Note(
                Label(
                    f"所有档位卖光也只有 {sold_out[0]}，达不到目标：加一档、提高限量或降低目标。",
                    f"Selling out every tier raises only {sold_out[1]}, short of the goal: add a "
                    "tier, raise a cap or lower the goal.",
                ),
                level="warning",
                playbooks=("community-crowdfunding",),
            )
        )
    elif i.mode == "reward" and not r.funded:
        found.append(
            Note(
                Label(
                    "按预期人数达不到目标，回报众筹会一分钱都收不到：先把社群做大或提高转化。",
                    "At the expected demand the goal is missed, and an all-or-nothing campaign "
                    "collects nothing: grow the community or its conversion first.",
                ),
                level="warning",
                playbooks=("community-crowdfunding",),
            )
        )
    losing = [t.name for t in i.tiers if t.unit_cost + i.shipping_per_backer >= t.price]
    if losing:
        names = "、".join(losing), ", ".join(losing)
        found.append(
            Note(
                Label(
                    f"这些档位的成本加运费不低于价格，每卖一份都亏钱：{names[0]}。",
                    f"These tiers cost at least their price once shipped, so each one sold loses money: {names[1]}.",
                ),
                level="warning",
            )
        )
    if (
        i.mode == "membership"
        and r.gross_if_sold_out is not None
        and r.pledged < r.gross_if_sold_out * (1 - 1e-9)
    ):
        seats = sum(t.cap or 0 for t in i.tiers)
        found.append(
            Note(
                Label(
                    f"按现在的社群人数和转化率，预计只卖出 {format_value(r.expected_backers, '', 'zh')} 个席位"
                    f"（共 {seats:,} 个）。要按“全部售罄”规划，请提高社群人数或转化率。",
                    f"At this community size and conversion about {format_value(r.expected_backers, '', 'en')} "
                    f"of {seats:,} seats sell. To plan for a sell-out, raise the community size or conversion.",
                )
            )
        )
    if i.mode == "reward":
        found.append(
            Note(
                Label(
                    f"参考：Kickstarter 上大约 {KICKSTARTER_SUCCESS:.0f}% 的项目筹款成功（2012–13 年统计；2024 年约 41%）。",
                    f"For reference, about {KICKSTARTER_SUCCESS:.0f}% of Kickstarter projects were funded "
                    "(2012–13 figures; about 41% in 2024).",
                )
            )
        )
    else:
        found.append(
            Note(
                Label(
                    "付费会员没有“达标才到账”：卖出多少收多少。直接用微信收款时把平台费率设为 0。",
                    "A paid membership is not all-or-nothing: you keep what you sell. Set the "
                    "platform fee to 0 when you sell directly through WeChat Pay.",
                )
            )
        )
    return found


CALCULATOR = Calculator(
    id="crowdfunding",
    title=Label("众筹与付费会员", "Crowdfunding and paid membership"),
    summary=Label(
        "定目标和档位，算出要多少支持者、扣掉费用后到账多少、何时保本，以及按社群规模达标的概率。",
        "Set a goal and tiers: backers needed, funds after fees, break-even, and the chance of "
        "reaching the goal from your community.",
    ),
    sections=("9.1.2", "9.3.2"),
    inputs=CrowdfundingInputs,
    result=CrowdfundingResult,
    compute=compute,
    chart=chart,
    compare_chart=compare_chart,
    headline=(
        "backers_needed",
        "probability_goal",
        "pledged",
        "funds_after_fees",
        "profit",
        "break_even_backers",
        "gross_if_sold_out",
    ),
    method=Label(
        "需求：社群里每个人以“支持转化率”的概率独立支持，想支持的人数服从二项分布 Binomial(社群人数, 转化率)，"
        "预期数字按均值计算。支持者按选择比例分到各档（没填比例时按限量分，有不限量的档位时平均分），"
        "某档卖光后想要它的人不再计入。达标概率 = P(支持人数 ≥ 达标所需人数)：社群不超过 20,000 人时精确计算，"
        "更大时用带连续性修正的正态近似。它把转化率当成已知，实际的不确定性更大——试试把转化率调高调低。"
        "资金：承诺金额 − 扣款失败 − 平台费和支付费 = 到账；再减回报成本、运费（只算付了钱的人）和固定成本 = 利润。"
        "回报众筹达不到目标时一分钱都收不到；付费会员卖多少收多少。",
        "Demand: each community member backs independently with probability equal to the "
        "conversion rate, so backers who want in follow Binomial(community size, conversion); "
        "expected figures use its mean. Backers spread over tiers by their shares (by caps when "
        "no share is given; equally when a tier has no cap); once a tier sells out, further "
        "backers who wanted it are not counted. Chance of the goal = P(backers ≥ backers needed): "
        "exact for communities up to 20,000, normal approximation with continuity correction "
        "above. It treats the rate as known, so the real spread is wider — move the rate up and "
        "down to see. Money: pledges − dropped pledges − platform and payment fees = funds after "
        "fees; minus reward costs, shipping (for backers who paid) and fixed costs = profit. A "
        "reward campaign below its goal collects nothing; a paid membership keeps what it sells.",
    ),
    notes=notes,
    charts=(
        Chart(Label("支持人数与利润", "Backers and profit"), profit_chart),
        Chart(Label("达标概率", "Chance of success"), chance_chart),
    ),
    details=details,
)
