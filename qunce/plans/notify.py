"""Reminders where the team works: today's due and overdue entries of a plan, posted to a group robot.

Three group robots, each with its documented webhook format (docs/notify.md cites the pages):
- 企业微信 (WeCom) group robot: POST `{"msgtype": "markdown", "markdown": {"content": ...}}` to
  `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...`; answers `{"errcode": 0, ...}`.
  Markdown content is at most 4096 bytes; a robot may post 20 messages a minute.
- 钉钉 (DingTalk) custom robot: POST `{"msgtype": "markdown", "markdown": {"title", "text"}}` to
  `https://oapi.dingtalk.com/robot/send?access_token=...`; with a signing secret the URL also
  carries `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(key=secret,
  msg="{timestamp}\\n{secret}"))). Answers `{"errcode": 0, "errmsg": "ok"}`.
- 飞书 (Feishu / Lark) custom bot: POST `{"msg_type": "post", "content": {"post": {...}}}` to
  `https://open.feishu.cn/open-apis/bot/v2/hook/...`; with a signing secret the body also
  carries `timestamp` (s) and `sign` = base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg=b"")).
  Answers `{"code": 0, "msg": "success"}` (older servers: `StatusCode`/`StatusMessage`).

Never twice a day: before posting, a run claims the row (plan, robot, day) in
`plan_notifications` (the robot is known by the sha256 of its webhook address, which holds its
token). A second run finds the claim: "sent" means done for today; "failed" (the robot answered
with an error, or could not be reached) may be retried; "unknown" (no answer in time: it may
have posted) is not retried without `--force`, because a duplicate in a busy group is worse
than a reminder someone has to check. The database, not a state file, holds this: the plan
lives there, every app server and cron host shares it, and it goes when the plan is deleted.

Secrets (the webhook address, the signing secret) come from options or environment variables
and are never printed: messages show the address with its token masked (`redact`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from qunce.db.base import utcnow
from qunce.db.errors import InvalidValue, PlanError
from qunce.db.store import Store
from qunce.plans.calendar import LOOKBACK_DAYS, Entry, TodayView, today_range, today_view
from qunce.plans.models import NotificationRow
from qunce.plans.occurrences import get_occurrences
from qunce.plans.repository import get_plan

Robot = Literal["wecom", "dingtalk", "feishu"]
ROBOTS: tuple[Robot, ...] = ("wecom", "dingtalk", "feishu")
ROBOT_NAMES: dict[str, str] = {
    "wecom": "企业微信 (WeCom)",
    "dingtalk": "钉钉 (DingTalk)",
    "feishu": "飞书 (Feishu/Lark)",
}
_HOSTS: dict[str, Robot] = {
    "qyapi.weixin.qq.com": "wecom",
    "oapi.dingtalk.com": "dingtalk",
    "open.feishu.cn": "feishu",
    "open.larksuite.com": "feishu",
}
# What --dry-run shows without a webhook (each robot's documented address, token masked).
EXAMPLE_WEBHOOKS: dict[str, str] = {
    "wecom": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY",
    "dingtalk": "https://oapi.dingtalk.com/robot/send?access_token=TOKEN",
    "feishu": "https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN",
}
MAX_BYTES = 4000  # WeCom's markdown limit is 4096 bytes; the others allow more
TIMEOUT_S = 10.0
# A claim older than this whose run never finished is treated like "no answer".
STALE_CLAIM = timedelta(minutes=10)
NOTIFICATIONS = cast(Table, NotificationRow.__table__)

# What a robot's error code usually means, from the robots' documentation and reports.
HINTS: dict[tuple[str, int], str] = {
    ("wecom", 93000): "the webhook address is not valid: copy it again from the group's robot",
    ("wecom", 45009): "too many messages: a robot may post 20 a minute",
    ("wecom", 40058): "the message was refused as malformed",
    ("dingtalk", 310000): (
        "the robot's security settings refused it: check the signing secret (--secret), a "
        "keyword the message must contain, or the allowed IP addresses"
    ),
    ("dingtalk", 300001): "the access_token is not valid: copy the webhook address again",
    ("dingtalk", 130101): "too many messages: a robot may post 20 a minute",
    ("feishu", 19021): (
        "the signature did not match or the timestamp is more than an hour off: check the "
        "signing secret (--secret) and the server's clock"
    ),
    ("feishu", 19022): "the robot only accepts the IP addresses in its security settings",
    ("feishu", 19024): "the message lacks a keyword the robot's security settings require",
    ("feishu", 9499): "the request was malformed",
    ("feishu", 11232): "too many messages: wait a little",
}


class NotifyFailed(PlanError):
    """A reminder that was not posted; `code` is the robot's error code when it answered."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- addresses and signatures


def redact(url: str) -> str:
    """The webhook address with its secrets masked (query values, the last path segment)."""
    parts = urlsplit(url)
    query = urlencode([(k, "***") for k, _ in parse_qsl(parts.query)], safe="*")
    path = parts.path
    if "/hook/" in path:
        path = path[: path.index("/hook/") + 6] + "***"
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def robot_kind(webhook: str, robot: str | None) -> Robot:
    """The robot named, or the one the webhook's host belongs to; InvalidValue otherwise."""
    if robot:
        if robot not in ROBOTS:
            raise InvalidValue(f"unknown robot {robot!r}; use one of {', '.join(ROBOTS)}")
        return robot
    host = urlsplit(webhook).hostname or ""
    if host in _HOSTS:
        return _HOSTS[host]
    raise InvalidValue(
        f"cannot tell which robot {redact(webhook)} is; say --robot wecom, dingtalk or feishu"
    )


def check_webhook(webhook: str) -> str:
    """`webhook` stripped, or InvalidValue when it is not an http(s) address."""
    text = webhook.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidValue(
            "the webhook is not an http(s) address; copy the whole address from the group "
            "robot's settings (--webhook or QUNCE_NOTIFY_WEBHOOK)"
        )
    return text


def robot_key(webhook: str) -> str:
    """How a robot is remembered: the sha256 of its webhook address (never the address)."""
    return hashlib.sha256(webhook.strip().encode("utf-8")).hexdigest()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's `sign`: base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")).

    Not yet URL-encoded: the query string builder does that.
    """
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's `sign`: base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg=empty))."""
    key = f"{timestamp_s}\n{secret}".encode()
    digest = hmac.new(key, b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


# ---------------------------------------------------------------- the digest


@dataclass(frozen=True)
class Digest:
    """What a reminder says: a plan's entries due today and overdue."""

    plan_name: str
    today: date
    view: TodayView
    lang: str
    link: str = ""

    @property
    def size(self) -> int:
        """Entries in the digest."""
        return len(self.view.due) + len(self.view.overdue)

    @property
    def title(self) -> str:
        """e.g. "群策 · 618 launch · 今日提醒 2026-03-02"."""
        day = self.today.isoformat()
        if self.lang == "en":
            return f"Qunce · {self.plan_name} · today {day}"
        return f"群策 · {self.plan_name} · 今日提醒 {day}"

    def sections(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) for what is due today and what is overdue, in plain text."""
        zh = self.lang != "en"
        due = ("今天" if zh else "Today") + f" ({len(self.view.due)})"
        late = ("逾期" if zh else "Overdue") + f" ({len(self.view.overdue)})"
        out = []
        if self.view.due:
            out.append((due, [self._line(e, overdue=False) for e in self.view.due]))
        if self.view.overdue:
            out.append((late, [self._line(e, overdue=True) for e in self.view.overdue]))
        return out

    def _line(self, entry: Entry, *, overdue: bool) -> str:
        zh = self.lang != "en"
        if entry.occurrence is not None:
            when = entry.at.strftime("%H:%M") if entry.at else ("全天" if zh else "all day")
            if overdue:
                when = f"{entry.day:%m-%d} {when}" if entry.at else f"{entry.day:%m-%d}"
        else:
            when = ("截止 " if zh else "due ") + (
                entry.day.isoformat() if overdue else ("今天" if zh else "today")
            )
        owner = entry.item.owner or ("未分配" if zh else "unassigned")
        mark = " ✓" if entry.status == "done" else " ⊘" if entry.status == "skipped" else ""
        return f"{when} · {entry.title(self.lang)} — {owner}{mark}"

    def text(self) -> str:
        """The digest as plain text (what --dry-run shows first)."""
        lines = [self.title]
        for heading, items in self.sections():
            lines += ["", heading, *(f"- {line}" for line in items)]
        if not self.size:
            lines += [
                "",
                "今天没有到期或逾期的事项。" if self.lang != "en" else "Nothing due or overdue.",
            ]
        if self.link:
            lines += ["", self.link]
        return "\n".join(lines)

    def markdown(self, max_bytes: int = MAX_BYTES) -> str:
        """The digest as robot Markdown, cut to `max_bytes` with a line saying how many more."""
        head = f"### {_md(self.title)}"
        tail = (
            f"\n\n[{'打开计划' if self.lang != 'en' else 'Open the plan'}]({self.link})"
            if self.link
            else ""
        )
        body: list[str] = []
        total = self.size
        shown = 0
        for heading, items in self.sections():
            body.append(f"\n\n**{_md(heading)}**\n")
            for line in items:
                candidate = f"\n- {_md(line)}"
                rest = total - shown - 1
                more = _more(rest, self.lang) if rest else ""
                size = len((head + "".join(body) + candidate + more + tail).encode("utf-8"))
                if size > max_bytes:
                    body.append(_more(total - shown, self.lang))
                    return head + "".join(body) + tail
                body.append(candidate)
                shown += 1
        if not total:
            body.append(
                "\n\n"
                + ("今天没有到期或逾期的事项。" if self.lang != "en" else "Nothing due or overdue.")
            )
        return head + "".join(body) + tail


def _more(count: int, lang: str) -> str:
    return (
        f"\n- …还有 {count} 项，见计划" if lang != "en" else f"\n- … and {count} more in the plan"
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def _md(text: str) -> str:
    """Text shown literally by the robots' Markdown: no links, emphasis, headings or HTML tags."""
    text = text.replace("<", "‹").replace(">", "›").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def build_digest(
    store: Store,
    workspace_id: str,
    plan_id: int,
    *,
    today: date,
    lang: str = "zh",
    person: str | None = None,
    lookback_days: int = LOOKBACK_DAYS,
) -> Digest:
    """Today's digest of a plan: two queries (the plan, the touched occurrences)."""
    from qunce.config import settings

    plan = get_plan(store, workspace_id, plan_id)
    start, end = today_range(today, lookback_days)
    touched = get_occurrences(store, workspace_id, plan_id, start=start, end=end)
    view = today_view(plan, touched, today=today, person=person, lookback_days=lookback_days)
    return Digest(plan.name, today, view, lang, link=f"{settings().base_url}/plans")


# ---------------------------------------------------------------- the robots' formats


@dataclass(frozen=True)
class Request:
    """One POST to a robot: the address (with signature parameters) and the JSON body."""

    url: str
    body: dict[str, Any]

    def data(self) -> bytes:
        """The body as UTF-8 JSON."""
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def build_request(
    kind: Robot,
    webhook: str,
    digest: Digest,
    *,
    secret: str | None = None,
    now: float | None = None,
) -> Request:
    """The request `kind`'s robot documents for this digest, signed when there is a secret."""
    moment = time.time() if now is None else now
    if kind == "wecom":
        return Request(webhook, {"msgtype": "markdown", "markdown": {"content": digest.markdown()}})
    if kind == "dingtalk":
        url = webhook
        if secret:
            stamp = int(moment * 1000)
            extra = urlencode({"timestamp": stamp, "sign": dingtalk_sign(secret, stamp)})
            url += ("&" if urlsplit(webhook).query else "?") + extra
        body = {
            "msgtype": "markdown",
            # DingTalk's Markdown needs a blank line between lines to keep them apart.
            "markdown": {
                "title": digest.title,
                "text": "\n\n".join(line for line in digest.markdown().split("\n") if line),
            },
        }
        return Request(url, body)
    paragraphs: list[list[dict[str, str]]] = []
    for heading, lines in digest.sections():
        paragraphs.append([{"tag": "text", "text": heading}])
        paragraphs += [[{"tag": "text", "text": f"• {line}"}] for line in lines]
    if not digest.size:
        paragraphs.append(
            [
                {
                    "tag": "text",
                    "text": "今天没有到期或逾期的事项。"
                    if digest.lang != "en"
                    else "Nothing due or overdue.",
                }
            ]
        )
    if digest.link:
        label = "打开计划" if digest.lang != "en" else "Open the plan"
        paragraphs.append([{"tag": "a", "text": label, "href": digest.link}])
    locale = "en_us" if digest.lang == "en" else "zh_cn"
    feishu: dict[str, Any] = {
        "msg_type": "post",
        "content": {"post": {locale: {"title": digest.title, "content": paragraphs}}},
    }
    if secret:
        stamp = int(moment)
        feishu = {"timestamp": str(stamp), "sign": feishu_sign(secret, stamp), **feishu}
    return Request(webhook, feishu)


def shown_request(request: Request) -> str:
    """The request as --dry-run prints it: the address redacted, the signature masked."""
    body = dict(request.body)
    if "sign" in body:
        body["sign"] = "***"
    return f"POST {redact(request.url)}\n{json.dumps(body, ensure_ascii=False, indent=2)}"


@dataclass(frozen=True)
class Reply:
    """What the robot answered: its code (0 is success) and message."""

    code: int
    message: str


def parse_reply(kind: Robot, payload: bytes) -> Reply:
    """The robot's answer: errcode/errmsg (WeCom, DingTalk), code/msg or StatusCode (Feishu)."""
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        snippet = payload[:120].decode("utf-8", "replace")
        raise NotifyFailed(
            f"the {ROBOT_NAMES[kind]} robot answered something that is not JSON: {snippet!r}"
        ) from None
    if not isinstance(data, dict):
        raise NotifyFailed(f"the {ROBOT_NAMES[kind]} robot answered {data!r}")
    for code_key, message_key in (
        ("errcode", "errmsg"),
        ("code", "msg"),
        ("StatusCode", "StatusMessage"),
    ):
        if code_key in data:
            try:
                code = int(data[code_key])
            except (TypeError, ValueError):
                code = -1
            return Reply(code, str(data.get(message_key, "")))
    raise NotifyFailed(
        f"the {ROBOT_NAMES[kind]} robot answered without a code: {json.dumps(data)[:120]}"
    )


class NoAnswer(Exception):
    """The request went out but no answer came back in time: the robot may have posted."""


Poster = Callable[[Request, float], tuple[int, bytes]]


def http_post(request: Request, timeout: float) -> tuple[int, bytes]:
    """POST with urllib; (HTTP status, body). NoAnswer on a timeout; NotifyFailed when unreachable."""
    req = urllib.request.Request(
        request.url,
        data=request.data(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read() or b""
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise NoAnswer(str(exc.reason)) from exc
        raise NotifyFailed(f"cannot reach {redact(request.url)}: {exc.reason}") from exc
    except TimeoutError as exc:
        raise NoAnswer(str(exc)) from exc
    except (ConnectionError, OSError) as exc:
        raise NotifyFailed(f"the connection to {redact(request.url)} failed: {exc}") from exc


def post(
    kind: Robot, request: Request, *, timeout: float = TIMEOUT_S, poster: Poster = http_post
) -> Reply:
    """Send one request; NotifyFailed (with the robot's code) unless the robot says 0."""
    status, payload = poster(request, timeout)
    name = ROBOT_NAMES[kind]
    try:
        reply = parse_reply(kind, payload)
    except NotifyFailed as exc:
        if status >= 400:
            raise NotifyFailed(f"the {name} robot answered HTTP {status}: {exc}") from None
        raise
    if reply.code != 0:
        hint = HINTS.get((kind, reply.code))
        raise NotifyFailed(
            f"the {name} robot refused the message: code {reply.code} ({reply.message or 'no message'})"
            + (f"; {hint}" if hint else ""),
            code=reply.code,
        )
    if status >= 400:
        raise NotifyFailed(f"the {name} robot answered HTTP {status}")
    return reply


# ---------------------------------------------------------------- once a day


Outcome = Literal["sent", "dry-run", "empty", "already-sent", "busy"]


@dataclass(frozen=True)
class Result:
    """What `notify_plan` did, and the text a person reads about it."""

    outcome: Outcome
    digest: Digest
    message: str
    request: Request | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _insert(store: Store) -> Any:
    return pg_insert if store.dialect == "postgresql" else sqlite_insert


def _claim(
    store: Store,
    workspace_id: str,
    plan_id: int,
    robot: str,
    kind: Robot,
    day: date,
    *,
    force: bool,
) -> tuple[str, datetime | None]:
    """Claim today's notification for (plan, robot): ("claimed", None) or why not, and since when."""
    now = utcnow()
    with store.session(write=True) as session:
        claimed = session.execute(
            _insert(store)(NOTIFICATIONS)
            .values(workspace_id=workspace_id, plan_id=plan_id, robot=robot, kind=kind, day=day,
                    status="sending", entries=0, error="", updated_at=now)
            .on_conflict_do_nothing(index_elements=["plan_id", "robot", "day"])
            .returning(NOTIFICATIONS.c.id)
        ).scalar()  # fmt: skip
        if claimed is not None:
            return "claimed", None
        row = session.execute(
            select(NOTIFICATIONS.c.status, NOTIFICATIONS.c.updated_at).where(
                NOTIFICATIONS.c.plan_id == plan_id,
                NOTIFICATIONS.c.robot == robot,
                NOTIFICATIONS.c.day == day,
            )
        ).one()
        status, since = row.status, row.updated_at
        if status == "sending" and now - since >= STALE_CLAIM:
            status = "unknown"
        retry = status == "failed" or (force and status in ("sent", "unknown"))
        if not retry:
            return status, since
        taken = session.execute(
            update(NOTIFICATIONS)
            .where(
                NOTIFICATIONS.c.plan_id == plan_id,
                NOTIFICATIONS.c.robot == robot,
                NOTIFICATIONS.c.day == day,
                NOTIFICATIONS.c.status == row.status,
                NOTIFICATIONS.c.updated_at == since,
            )
            .values(status="sending", error="", updated_at=now)
        )
        if taken.rowcount == 0:  # type: ignore[attr-defined]
            return "sending", now
        return "claimed", None


def _finish(store: Store, plan_id: int, robot: str, day: date, status: str, entries: int,
            error: str = "") -> None:  # fmt: skip
    with store.session(write=True) as session:
        session.execute(
            update(NOTIFICATIONS)
            .where(
                NOTIFICATIONS.c.plan_id == plan_id,
                NOTIFICATIONS.c.robot == robot,
                NOTIFICATIONS.c.day == day,
            )
            .values(status=status, entries=entries, error=error[:2000], updated_at=utcnow())
        )


def _hhmm(moment: datetime | None) -> str:
    if moment is None:
        return "earlier"
    from qunce.plans.recurrence import zone

    return moment.astimezone(zone()).strftime("%H:%M")


def notify_plan(
    store: Store,
    workspace_id: str,
    plan_id: int,
    *,
    webhook: str | None,
    robot: str | None = None,
    secret: str | None = None,
    today: date,
    lang: str = "zh",
    person: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    send_empty: bool = False,
    timeout: float = TIMEOUT_S,
    poster: Poster = http_post,
) -> Result:
    """Post today's digest of a plan to a group robot, at most once per plan, robot and day.

    `dry_run` builds the request and returns it without posting or recording anything (no
    webhook needed). Raises NotifyFailed (the robot's code when it answered) or InvalidValue.
    """
    digest = build_digest(store, workspace_id, plan_id, today=today, lang=lang, person=person)
    address = check_webhook(webhook) if webhook else None
    if dry_run:
        kind = robot_kind(address or "", robot) if (robot or address) else "wecom"
        target = address or EXAMPLE_WEBHOOKS[kind]
        request = build_request(kind, target, digest, secret=secret)
        return Result(
            "dry-run", digest, f"dry run: nothing was sent ({digest.size} entries)", request
        )
    if address is None:
        raise InvalidValue(
            "no webhook: give the group robot's address with --webhook or QUNCE_NOTIFY_WEBHOOK "
            "(or use --dry-run to see the message)"
        )
    kind = robot_kind(address, robot)
    if not digest.size and not send_empty:
        return Result("empty", digest, "nothing due or overdue today: no message sent")
    key = robot_key(address)
    state, since = _claim(store, workspace_id, plan_id, key, kind, today, force=force)
    if state == "sent":
        return Result("already-sent", digest,
                      f"already sent today at {_hhmm(since)}; not sending again (--force sends anyway)")  # fmt: skip
    if state == "sending":
        return Result(
            "busy", digest, f"another run started sending at {_hhmm(since)}; not sending again"
        )
    if state == "unknown":
        raise NotifyFailed(
            f"the run at {_hhmm(since)} got no answer from the robot, so it may have posted; "
            "check the group, then run again with --force to send anyway"
        )
    request = build_request(kind, address, digest, secret=secret)
    try:
        post(kind, request, timeout=timeout, poster=poster)
    except NoAnswer as exc:
        _finish(store, plan_id, key, today, "unknown", digest.size, f"no answer: {exc}")
        raise NotifyFailed(
            f"the {ROBOT_NAMES[kind]} robot did not answer within {timeout:g} s ({exc}); it may "
            "have posted, so a retry today will not send again: check the group, then use --force"
        ) from None
    except NotifyFailed as exc:
        _finish(store, plan_id, key, today, "failed", digest.size, str(exc))
        raise
    except BaseException:
        _finish(store, plan_id, key, today, "unknown", digest.size, "interrupted while sending")
        raise
    _finish(store, plan_id, key, today, "sent", digest.size)
    return Result(
        "sent", digest, f"sent to the {ROBOT_NAMES[kind]} robot ({digest.size} entries)", request
    )
