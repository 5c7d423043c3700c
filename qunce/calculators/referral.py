"""Referral growth / 裂变 (book 3.4.1, 4.6.2): members over time with and without invitations.

Generations of one cycle each: the members who joined in one cycle invite during the next,
so new(t) = new(t−1) × K × (1 − joined so far / market), with the viral coefficient
K = invites per member × invite conversion. Every cycle a share of the members leaves.
Without referrals only the seed members are left, shrinking by the same churn.
The market size keeps the numbers finite and, when it is small, shows saturation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from pydantic import model_validator

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
from qunce.calculators.errors import inconsistent

MIUI_SOURCE = source(
    "小米 MIUI 第一版内测（2010-08-16）只有 100 位用户，“100 个梦想的赞助商”",
    "Xiaomi's first MIUI beta (2010-08-16) had 100 users, the '100 sponsors of a dream'",
    "zgc.intozgc.com/doc/210/21028489.shtml",
)


class ReferralInputs(Inputs):
    """Inputs of the referral growth calculator."""

    seed_members: int = number(
        100,
        zh="种子成员",
        en="Seed members",
        unit="people",
        ge=1,
        le=100_000_000,
        step=10,
        help_zh="一开始就在群里、会去邀请别人的人。",
        help_en="Members you start with, who will invite others.",
        source=MIUI_SOURCE,
    )
    invites_per_member: float = number(
        4,
        zh="每人邀请数",
        en="Invites per member",
        unit="people",
        ge=0,
        le=100,
        step=0.5,
        help_zh="每位新成员在入群后的一个周期里平均邀请几个人。",
        help_en="People each new member invites during their first cycle.",
        source=ILLUSTRATION,
    )
    invite_conversion: float = rate(
        30,
        zh="邀请转化率",
        en="Invite conversion",
        help_zh="收到邀请的人里最后加入的比例。",
        help_en="Share of invited people who join.",
        source=ILLUSTRATION,
    )
    cycle_days: int = number(
        7,
        zh="裂变周期",
        en="Cycle length",
        unit="days",
        ge=1,
        le=365,
        step=1,
        help_zh="从入群到把邀请发出去并有人加入，平均要几天。",
        help_en="Days from joining to an invitation being accepted, on average.",
        source=ILLUSTRATION,
    )
    churn_per_cycle: float = rate(
        5,
        zh="每周期流失率",
        en="Churn per cycle",
        help_zh="每个周期退群或沉默不再算成员的比例。",
        help_en="Share of members who leave (or go silent for good) each cycle.",
        source=ILLUSTRATION,
    )
    target_members: int = number(
        5_000,
        zh="目标成员数",
        en="Target members",
        unit="people",
        ge=1,
        le=1_500_000_000,
        step=100,
        help_zh="想达到的在群成员数，用来算要多少天。",
        help_en="The member count you want to reach; the calculator tells you when.",
        source=ILLUSTRATION,
    )
    horizon_days: int = number(
        180,
        zh="计算天数",
        en="Horizon",
        unit="days",
        ge=1,
        le=1_095,
        step=30,
        help_zh="算多少天。",
        help_en="How many days to simulate.",
        source=ILLUSTRATION,
    )
    market_size: int = number(
        100_000_000,
        zh="可触达的人群",
        en="Reachable market",
        unit="people",
        ge=1,
        le=1_500_000_000,
        step=1000,
        help_zh="可能被邀请进来的人一共有多少；数字小时能看到饱和。",
        help_en="Everyone who could ever be invited; a small number shows saturation.",
        source=ILLUSTRATION,
    )

    @model_validator(mode="after")
    def _fits_market(self) -> ReferralInputs:
        if self.seed_members > self.market_size:
            raise inconsistent(
                "seed_members",
                f"不能多于可触达的人群（market_size = {self.market_size:,}），现在是 {self.seed_members:,}。",
                f"cannot exceed the reachable market (market_size = {self.market_size:,}); "
                f"got {self.seed_members:,}.",
            )
        if self.target_members > self.market_size:
            raise inconsistent(
                "target_members",
                f"不能多于可触达的人群（market_size = {self.market_size:,}），现在是 {self.target_members:,}。",
                f"cannot exceed the reachable market (market_size = {self.market_size:,}); "
                f"got {self.target_members:,}.",
            )
        return self


class ReferralResult(Outputs):
    """Members over time, with and without referrals."""

    viral_coefficient: float = out(
        "裂变系数 K",
        "Viral K",
        "",
        "每位新成员平均带来的新成员数；K > 1 才会自己滚起来。",
        "New members each new member brings; growth feeds itself only when K > 1.",
    )
    members_at_horizon: float = out("期末成员", "Members at end", "people")
    without_referrals_at_horizon: float = out("不裂变的期末成员", "Without referrals", "people")
    total_joined: float = out("累计加入", "Joined in total", "people")
    referred: float = out("邀请带来的成员", "From invitations", "people")
    days_to_target: int | None = out(
        "达到目标的天数",
        "Days to target",
        "days",
        "空表示计算期内达不到。",
        "Empty when the target is not reached within the horizon.",
        none=Label("期内达不到", "not within the horizon"),
    )
    days: list[int] = out("天", "Day", "days")
    members: list[float] = out("成员", "Members", "people")
    without_referrals: list[float] = out("不裂变", "Without referrals", "people")


def compute(i: ReferralInputs) -> ReferralResult:
    """Members cycle by cycle, the viral coefficient and the day the target is reached."""
    k = i.invites_per_member * i.invite_conversion / 100
    keep = 1 - i.churn_per_cycle / 100
    cycles = i.horizon_days // i.cycle_days
    market = float(i.market_size)
    newest = float(i.seed_members)
    joined = float(i.seed_members)
    active = float(i.seed_members)
    baseline = float(i.seed_members)
    days, members, without = [0], [active], [baseline]
    reached = 0 if active >= i.target_members else None
    for cycle in range(1, cycles + 1):
        room = max(0.0, market - joined)
        newest = min(room, newest * k * room / market)
        joined += newest
        active = active * keep + newest
        baseline *= keep
        days.append(cycle * i.cycle_days)
        members.append(active)
        without.append(baseline)
        if reached is None and active >= i.target_members:
            reached = cycle * i.cycle_days
    return ReferralResult(
        viral_coefficient=k,
        members_at_horizon=active,
        without_referrals_at_horizon=baseline,
        total_joined=joined,
        referred=joined - i.seed_members,
        days_to_target=reached,
        days=days,
        members=members,
        without_referrals=without,
    )


def chart(i: ReferralInputs, r: ReferralResult, lang: str) -> Any:
    """Members over time with referrals, without them, and the target."""
    fig = go.Figure()
    fig.add_scatter(
        x=r.days,
        y=r.members,
        mode="lines",
        line_color=COLORS[0],
        name=Label("有裂变", "With referrals").get(lang),
        hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
    )
    fig.add_scatter(
        x=r.days,
        y=r.without_referrals,
        mode="lines",
        line={"color": COLORS[1], "dash": "dash"},
        name=Label("不裂变", "Without referrals").get(lang),
        hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
    )
    fig.add_hline(
        y=i.target_members,
        line_dash="dot",
        line_color=COLORS[3],
        annotation_text=Label("目标", "Target").get(lang),
        annotation_position="top left",
    )
    if r.days_to_target is not None:
        fig.add_vline(x=r.days_to_target, line_dash="dot", line_color=COLORS[2])
    fig.update_xaxes(title=Label("天", "Day").get(lang))
    fig.update_yaxes(title=Label("在群成员", "Members").get(lang), rangemode="tozero")
    return layout(fig, Label("成员增长", "Members over time").get(lang))


def compare_chart(scenarios: Sequence[Scenario[ReferralInputs, ReferralResult]], lang: str) -> Any:
    """Each scenario's members over time."""
    fig = go.Figure()
    for n, s in enumerate(scenarios):
        fig.add_scatter(
            x=s.result.days,
            y=s.result.members,
            mode="lines",
            name=plain(s.name),
            line_color=COLORS[n % len(COLORS)],
        )
    fig.update_xaxes(title=Label("天", "Day").get(lang))
    fig.update_yaxes(title=Label("在群成员", "Members").get(lang), rangemode="tozero")
    return layout(fig, Label("成员增长对比", "Members over time compared").get(lang))


def notes(i: ReferralInputs, r: ReferralResult) -> list[Note]:
    """What the viral coefficient means for this plan."""
    k = r.viral_coefficient
    found: list[Note] = []
    if k < 1:
        ceiling = i.seed_members / (1 - k)
        found.append(
            Note(
                Label(
                    f"K = {k:.2f} < 1：裂变会停下来，不计流失时最多约 {format_value(ceiling, 'people', 'zh')}。"
                    "提高邀请意愿或转化率，或者持续补充种子用户。",
                    f"K = {k:.2f} < 1: referrals die out, at about {format_value(ceiling, 'people', 'en')} "
                    "before churn. Make inviting more worthwhile, convert more invitations, or keep "
                    "adding seed members.",
                ),
                level="warning",
                playbooks=("promotion-word-of-mouth",),
            )
        )
    if i.horizon_days < i.cycle_days:
        found.append(
            Note(
                Label(
                    "计算天数短于一个裂变周期，还看不到任何邀请。",
                    "The horizon is shorter than one cycle: no invitation lands yet.",
                ),
                level="warning",
            )
        )
    if r.total_joined >= 0.5 * i.market_size:
        found.append(
            Note(
                Label(
                    "已经邀请到可触达人群的一半以上，后面越来越难：考虑新的人群或渠道。",
                    "Over half the reachable market has joined; invitations get harder from here — "
                    "look for new audiences or channels.",
                )
            )
        )
    return found


CALCULATOR = Calculator(
    id="referral",
    title=Label("裂变增长", "Referral growth"),
    summary=Label(
        "种子成员邀请朋友、朋友再邀请朋友：算出裂变系数、成员随时间的变化，以及多久达到目标。",
        "Seed members invite friends who invite theirs: the viral coefficient, members over time "
        "against no referrals, and when you reach the target.",
    ),
    sections=("3.4.1", "4.6.2"),
    inputs=ReferralInputs,
    result=ReferralResult,
    compute=compute,
    chart=chart,
    compare_chart=compare_chart,
    headline=(
        "viral_coefficient",
        "members_at_horizon",
        "without_referrals_at_horizon",
        "days_to_target",
        "referred",
    ),
    method=Label(
        "裂变系数 K = 每人邀请数 × 邀请转化率。按周期一代一代算：上一周期新加入的人在这一周期发出邀请，"
        "新成员 = 上一周期新成员 × K × (1 − 累计加入 ÷ 可触达人群)；每个周期在群成员先按流失率减少，再加上新成员。"
        "不裂变时只剩种子成员，按同样的流失率减少。",
        "Viral coefficient K = invites per member × invite conversion. Cycle by cycle: the members "
        "who joined in the last cycle invite in this one, new = last cycle's new × K × (1 − joined "
        "so far ÷ market); each cycle, members shrink by the churn and the new ones are added. "
        "Without referrals only the seed members remain, shrinking by the same churn.",
    ),
    notes=notes,
)
