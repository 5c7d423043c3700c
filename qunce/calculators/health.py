"""Community health (book 3.2.2, 4.4): a score from five parts, each against a benchmark range.

Each part is a ratio with a benchmark range [low, high]. Its score is 60 at the low end and 100
at the high end (capped there), linear in between, and falls linearly from 60 to 0 below the
range; response time works the other way round (shorter is better). The health score is the
plain mean of the five part scores. A part under 60 is weak, and names the playbooks to open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

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
    SourceNote,
    format_range,
    format_value,
    number,
    out,
    source,
)
from qunce.calculators.charts import COLORS, layout, plain
from qunce.calculators.errors import inconsistent

LOW_SCORE = 60.0  # the score at the low end of a benchmark range; below it a part is weak
RESPONSE_CEILING = 24 * 60.0  # an answer after a day counts for nothing

ACTIVE_SOURCE = source(
    "月活跃成员通常占 10%–30%（breezio benchmarks）",
    "10–30% of members active in a month (breezio benchmarks)",
    "https://breezio.com/benchmarks",
)
STICKY_SOURCE = source(
    "DAU/MAU：B2B 产品约 13%，消费类 25% 以上（abacum）；DAU/MAU × 30 = 每月来访天数",
    "DAU/MAU: about 13% for B2B products, 25%+ for consumer ones (abacum); DAU/MAU × 30 = days "
    "visited a month",
    "https://www.abacum.io/glossary/dau-rau-ratio",
)
PARTICIPATION_SOURCE = source(
    "90-9-1 法则：约 10% 的人会发言（Nielsen 2006）；Higher Logic 2020 称最高 23%（二手来源）",
    "The 90-9-1 rule: about 10% ever post (Nielsen 2006); Higher Logic 2020 reports up to 23% "
    "(secondary source)",
    "mooredesigngraphics.com/online-participation-inequality",
)
RULE_OF_THUMB = SourceNote(
    Label(
        "经验值，没有公开基准；按你们自己的历史数据调整。",
        "Rule of thumb, no public benchmark; adjust to your own history.",
    ),
    illustration=True,
)


@dataclass(frozen=True)
class Part:
    """One part of the health score: what it measures, its benchmark and what to read if weak."""

    id: str
    label: Label
    unit: str
    low: float
    high: float
    higher_is_better: bool
    source: SourceNote
    playbooks: tuple[str, ...]


PARTS = (
    Part(
        "activity",
        Label("月活跃占比", "Monthly active share"),
        "percent",
        10,
        30,
        True,
        ACTIVE_SOURCE,
        ("launch-rules", "wechat-community"),
    ),
    Part(
        "stickiness",
        Label("粘性 DAU/MAU", "Stickiness DAU/MAU"),
        "percent",
        13,
        25,
        True,
        STICKY_SOURCE,
        ("interaction-traits", "launch-rules"),
    ),
    Part(
        "participation",
        Label("发言成员占比", "Contributing members"),
        "percent",
        10,
        23,
        True,
        PARTICIPATION_SOURCE,
        ("co-creation-steps", "interaction-traits"),
    ),
    Part(
        "conversation",
        Label("人均日消息", "Messages per daily active"),
        "per_day",
        1,
        3,
        True,
        RULE_OF_THUMB,
        ("interaction-traits", "user-dialogue"),
    ),
    Part(
        "responsiveness",
        Label("首次回复时间", "Time to first reply"),
        "minutes",
        30,
        120,
        False,
        RULE_OF_THUMB,
        ("user-dialogue", "wechat-community"),
    ),
)


class HealthInputs(Inputs):
    """Inputs of the community health check."""

    members: int = number(
        400,
        zh="成员总数",
        en="Members",
        unit="people",
        ge=1,
        le=2_000_000_000,
        step=10,
        help_zh="群或社区里的全部成员。",
        help_en="Everyone in the group or community.",
        source=ILLUSTRATION,
    )
    daily_active: int = number(
        20,
        zh="日活跃成员",
        en="Daily active members",
        unit="people",
        ge=0,
        le=2_000_000_000,
        step=1,
        help_zh="平均每天来看或发言的人数（DAU）。",
        help_en="Members who read or post on an average day (DAU).",
        source=ILLUSTRATION,
    )
    monthly_active: int = number(
        100,
        zh="月活跃成员",
        en="Monthly active members",
        unit="people",
        ge=0,
        le=2_000_000_000,
        step=1,
        help_zh="一个月里至少来过一次的人数（MAU）。",
        help_en="Members who came at least once in a month (MAU).",
        source=ACTIVE_SOURCE,
    )
    messages_per_day: float = number(
        60,
        zh="每天消息数",
        en="Messages per day",
        unit="per_day",
        ge=0,
        le=10_000_000,
        step=5,
        help_zh="群里平均每天的消息条数（不算机器人和广告）。",
        help_en="Messages on an average day, bots and ads excluded.",
        source=ILLUSTRATION,
    )
    contributors_per_month: int = number(
        30,
        zh="每月发言成员",
        en="Contributors per month",
        unit="people",
        ge=0,
        le=2_000_000_000,
        step=1,
        help_zh="一个月里至少发过一次言、晒过单或回答过问题的人数。",
        help_en="Members who posted, shared or answered at least once in a month.",
        source=PARTICIPATION_SOURCE,
    )
    response_minutes: float = number(
        90,
        zh="首次回复时间",
        en="Time to first reply",
        unit="minutes",
        ge=0,
        le=100_000,
        step=5,
        help_zh="成员提问后，平均多久有人（成员或运营）第一次回复。",
        help_en="How long a member's question waits for its first answer, on average.",
        source=RULE_OF_THUMB,
    )

    @model_validator(mode="after")
    def _consistent(self) -> HealthInputs:
        if self.monthly_active > self.members:
            raise inconsistent(
                "monthly_active",
                f"不能多于成员总数（members = {self.members:,}），现在是 {self.monthly_active:,}。",
                f"cannot exceed members (members = {self.members:,}); got {self.monthly_active:,}.",
            )
        if self.daily_active > self.monthly_active:
            raise inconsistent(
                "daily_active",
                f"不能多于月活跃成员（monthly_active = {self.monthly_active:,}），现在是 {self.daily_active:,}。",
                f"cannot exceed monthly active members (monthly_active = {self.monthly_active:,}); "
                f"got {self.daily_active:,}.",
            )
        if self.contributors_per_month > self.monthly_active:
            raise inconsistent(
                "contributors_per_month",
                f"发言的人当月一定活跃，所以不能多于月活跃成员（monthly_active = {self.monthly_active:,}），"
                f"现在是 {self.contributors_per_month:,}。",
                "whoever posts is active that month, so it cannot exceed monthly active members "
                f"(monthly_active = {self.monthly_active:,}); got {self.contributors_per_month:,}.",
            )
        if self.messages_per_day > 0 and self.daily_active == 0:
            raise inconsistent(
                "messages_per_day",
                "有消息就一定有人当天活跃：请把日活跃成员（daily_active）至少填 1，或把消息数改为 0。",
                "messages need someone active that day: set daily active members (daily_active) to "
                "at least 1, or messages to 0.",
            )
        return self


class PartScore(Outputs):
    """One part of the health score."""

    id: str
    value: float
    low: float
    high: float
    score: float
    status: Literal["weak", "ok", "strong"]
    playbooks: list[str]


class HealthResult(Outputs):
    """The health score, its parts, and the playbooks to open for the weak ones."""

    score: float = out(
        "健康分",
        "Health score",
        "score",
        "五项得分的平均，满分 100。",
        "Mean of the five part scores, out of 100.",
    )
    activity: float = out(
        "月活跃占比", "Monthly active", "percent", "月活跃 ÷ 成员。", "Monthly active ÷ members."
    )
    stickiness: float = out(
        "粘性 DAU/MAU", "DAU/MAU", "percent", "日活跃 ÷ 月活跃。", "Daily active ÷ monthly active."
    )
    days_per_month: float = out(
        "每月来访天数", "Days visited a month", "days", "DAU/MAU × 30。", "DAU/MAU × 30."
    )
    participation: float = out(
        "发言成员占比",
        "Contributors",
        "percent",
        "每月发言成员 ÷ 成员。",
        "Contributors ÷ members.",
    )
    conversation: float = out(
        "人均日消息",
        "Messages per daily active",
        "per_day",
        "每天消息 ÷ 日活跃。",
        "Messages a day ÷ daily active.",
    )
    weak_parts: int = out("薄弱项", "Weak parts", "")
    parts: list[PartScore] = out("各项得分", "Part scores", "score")
    playbooks: list[str] = out("建议打开的方法", "Playbooks to open", "")


def part_score(value: float, part: Part) -> float:
    """A value's score against the part's benchmark range (0–100)."""
    low, high = part.low, part.high
    if part.higher_is_better:
        if value >= high:
            return 100.0
        if value >= low:
            return LOW_SCORE + (100 - LOW_SCORE) * (value - low) / (high - low)
        return max(0.0, LOW_SCORE * value / low)
    if value <= low:
        return 100.0
    if value <= high:
        return 100 - (100 - LOW_SCORE) * (value - low) / (high - low)
    return max(0.0, LOW_SCORE * (RESPONSE_CEILING - value) / (RESPONSE_CEILING - high))


def _status(score: float) -> Literal["weak", "ok", "strong"]:
    if score < LOW_SCORE:
        return "weak"
    return "strong" if score >= 100 else "ok"


def compute(i: HealthInputs) -> HealthResult:
    """The health score with its parts and the playbooks for the weak ones."""
    values = {
        "activity": 100 * i.monthly_active / i.members,
        "stickiness": 100 * i.daily_active / i.monthly_active if i.monthly_active else 0.0,
        "participation": 100 * i.contributors_per_month / i.members,
        "conversation": i.messages_per_day / i.daily_active if i.daily_active else 0.0,
        "responsiveness": i.response_minutes,
    }
    parts = []
    for part in PARTS:
        score = part_score(values[part.id], part)
        parts.append(
            PartScore(
                id=part.id,
                value=values[part.id],
                low=part.low,
                high=part.high,
                score=score,
                status=_status(score),
                playbooks=list(part.playbooks) if score < LOW_SCORE else [],
            )
        )
    playbooks: list[str] = []
    for p in parts:
        playbooks.extend(x for x in p.playbooks if x not in playbooks)
    return HealthResult(
        score=sum(p.score for p in parts) / len(parts),
        activity=values["activity"],
        stickiness=values["stickiness"],
        days_per_month=values["stickiness"] * 30 / 100,
        participation=values["participation"],
        conversation=values["conversation"],
        weak_parts=sum(1 for p in parts if p.status == "weak"),
        parts=parts,
        playbooks=playbooks,
    )


def _axes(lang: str) -> list[str]:
    return [p.label.get(lang) for p in PARTS]


def _closed(values: Sequence[Any]) -> list[Any]:
    return [*values, values[0]]


def chart(i: HealthInputs, r: HealthResult, lang: str) -> Any:
    """Radar of the part scores against the benchmark band (60 = low end, 100 = high end)."""
    axes = _closed(_axes(lang))
    fig = go.Figure()
    fig.add_barpolar(
        r=[100 - LOW_SCORE] * len(PARTS),
        base=LOW_SCORE,
        theta=_axes(lang),
        marker={"color": "rgba(0,158,115,0.15)", "line": {"width": 0}},
        name=Label("基准范围", "Benchmark range").get(lang),
        hoverinfo="skip",
    )
    hover = [
        f"{part.label.get(lang)}: {format_value(p.value, part.unit, lang)}"
        f" ({Label('基准', 'benchmark').get(lang)} {format_range(part.low, part.high, part.unit, lang)})"
        for part, p in zip(PARTS, r.parts, strict=True)
    ]
    fig.add_scatterpolar(
        r=_closed([p.score for p in r.parts]),
        theta=axes,
        mode="lines+markers",
        fill="toself",
        line_color=COLORS[0],
        fillcolor="rgba(0,114,178,0.25)",
        name=Label("你的社群", "Your community").get(lang),
        text=_closed(hover),
        hovertemplate="%{text}<br>%{r:.0f}<extra></extra>",
    )
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 100], "tickvals": [0, 30, 60, 100]}, "bargap": 0}
    )
    title = Label(f"社群健康 {r.score:.0f} 分", f"Community health: {r.score:.0f}/100")
    fig = layout(fig, title.get(lang), height=420)
    fig.update_layout(margin={"l": 90, "r": 90})  # room for the axis labels
    return fig


def compare_chart(scenarios: Sequence[Scenario[HealthInputs, HealthResult]], lang: str) -> Any:
    """The scenarios' part scores on one radar."""
    axes = _closed(_axes(lang))
    fig = go.Figure()
    fig.add_barpolar(
        r=[100 - LOW_SCORE] * len(PARTS),
        base=LOW_SCORE,
        theta=_axes(lang),
        marker={"color": "rgba(0,158,115,0.15)", "line": {"width": 0}},
        name=Label("基准范围", "Benchmark range").get(lang),
        hoverinfo="skip",
    )
    for n, s in enumerate(scenarios):
        fig.add_scatterpolar(
            r=_closed([p.score for p in s.result.parts]),
            theta=axes,
            mode="lines+markers",
            name=f"{plain(s.name)} ({s.result.score:.0f})",
            line_color=COLORS[n % len(COLORS)],
        )
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 100], "tickvals": [0, 30, 60, 100]}, "bargap": 0}
    )
    fig = layout(fig, Label("健康度对比", "Health compared").get(lang), height=420)
    fig.update_layout(margin={"l": 90, "r": 90})
    return fig


STATUS = {
    "weak": Label("偏弱", "weak"),
    "ok": Label("在范围内", "in range"),
    "strong": Label("很好", "strong"),
}


def details(i: HealthInputs, r: HealthResult, lang: str) -> list[dict[str, str]]:
    """Part by part: value, benchmark range, score, status and the playbooks for weak parts."""
    cols = [
        Label(*pair).get(lang)
        for pair in (
            ("项目", "Part"),
            ("数值", "Value"),
            ("基准范围", "Benchmark"),
            ("得分", "Score"),
            ("状态", "Status"),
        )
    ]
    rows = []
    for part, p in zip(PARTS, r.parts, strict=True):
        rows.append(
            dict(
                zip(
                    cols,
                    [
                        part.label.get(lang),
                        format_value(p.value, part.unit, lang),
                        format_range(part.low, part.high, part.unit, lang),
                        f"{p.score:.0f}",
                        STATUS[p.status].get(lang),
                    ],
                    strict=True,
                )
            )
        )
    return rows


def notes(i: HealthInputs, r: HealthResult) -> list[Note]:
    """One note per weak part, naming the playbook to open first."""
    found = []
    for part, p in zip(PARTS, r.parts, strict=True):
        if p.status != "weak":
            continue
        zh_range = format_range(part.low, part.high, part.unit, "zh")
        en_range = format_range(part.low, part.high, part.unit, "en")
        found.append(
            Note(
                Label(
                    f"{part.label.zh}偏弱：{format_value(p.value, part.unit, 'zh')}，基准 {zh_range}。",
                    f"{part.label.en} is weak: {format_value(p.value, part.unit, 'en')} against {en_range}.",
                ),
                level="warning",
                playbooks=part.playbooks,
            )
        )
    return found


CALCULATOR = Calculator(
    id="health",
    title=Label("社群健康度", "Community health"),
    summary=Label(
        "用活跃、粘性、发言、消息和回复速度五项给社群打分，对照基准找出薄弱项和该打开的方法。",
        "Score your community on activity, stickiness, participation, conversation and response "
        "time against benchmark ranges, and see which playbooks fix the weak parts.",
    ),
    sections=("3.2.2", "4.4"),
    inputs=HealthInputs,
    result=HealthResult,
    compute=compute,
    chart=chart,
    compare_chart=compare_chart,
    headline=("score", "activity", "stickiness", "participation", "weak_parts"),
    method=Label(
        "五项各有基准范围：月活跃占比 10%–30%，DAU/MAU 13%–25%，发言成员占比 10%–23%（90-9-1），"
        "人均日消息 1–3 条（经验值），首次回复 30–120 分钟（经验值）。落在范围下限得 60 分，上限及以上得 100 分，"
        "中间线性；低于下限时从 60 分线性降到 0（回复时间反过来，超过一天为 0）。健康分是五项平均；低于 60 分的项为薄弱项。",
        "Each part has a benchmark range: monthly active share 10–30%, DAU/MAU 13–25%, "
        "contributing members 10–23% (90-9-1), messages per daily active 1–3 (rule of thumb), first "
        "reply 30–120 minutes (rule of thumb). The low end scores 60, the high end and above 100, "
        "linear between; below the range the score falls linearly from 60 to 0 (for reply time the "
        "other way round, nothing after a day). The health score is the mean of the five; a part "
        "under 60 is weak.",
    ),
    notes=notes,
    details=details,
)
