"""`qunce notify`: each robot's documented format and signature, checked by a local HTTP server;
failures with the robot's code; never twice a day. No test reaches the internet."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from qunce.plans import Plan, Store, Workspace, add_item, update_item
from qunce.plans.notify import (
    Digest,
    NotifyFailed,
    build_digest,
    dingtalk_sign,
    feishu_sign,
    notify_plan,
    redact,
)
from qunce.plans.occurrences import update_occurrence

Team = tuple[Workspace, str]
TODAY = date(2026, 3, 4)
SECRET = "SECtest-secret-1234"


@dataclass
class Robot:
    """A stand-in for the three group robots on 127.0.0.1, checking what the docs require."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    answer: dict[str, Any] | None = None  # None: the kind's success answer
    status: int = 200
    delay: float = 0.0
    problems: list[str] = field(default_factory=list)


def _check(kind: str, query: dict[str, list[str]], body: dict[str, Any]) -> list[str]:
    problems = []
    if kind == "wecom":
        if body.get("msgtype") != "markdown" or not isinstance(body.get("markdown"), dict):
            problems.append("wecom: msgtype markdown with a markdown object")
        content = body.get("markdown", {}).get("content", "")
        if not content or len(content.encode()) > 4096:
            problems.append("wecom: markdown.content of 1 to 4096 bytes")
        if query.get("key") != ["wecom-key"]:
            problems.append("wecom: the key stays in the address")
    elif kind == "dingtalk":
        markdown = body.get("markdown", {})
        if (
            body.get("msgtype") != "markdown"
            or not markdown.get("title")
            or not markdown.get("text")
        ):
            problems.append("dingtalk: msgtype markdown with title and text")
        stamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
        expected = base64.b64encode(
            hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
        ).decode()
        if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3_600_000:
            problems.append("dingtalk: timestamp in milliseconds, within an hour")
        if sign != expected:  # parse_qs has undone the URL encoding
            problems.append("dingtalk: sign = base64(HMAC-SHA256(secret, timestamp\\nsecret))")
    else:
        post = body.get("content", {}).get("post", {})
        if body.get("msg_type") != "post" or not post:
            problems.append("feishu: msg_type post with content.post")
        locale = next(iter(post.values()), {})
        if not locale.get("title") or not isinstance(locale.get("content"), list):
            problems.append("feishu: a title and content paragraphs")
        stamp, sign = body.get("timestamp", ""), body.get("sign", "")
        key = f"{stamp}\n{SECRET}".encode()
        expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        if not str(stamp).isdigit() or abs(int(stamp) - time.time()) > 3600:
            problems.append("feishu: timestamp in seconds, within an hour")
        if sign != expected:
            problems.append("feishu: sign = base64(HMAC-SHA256(key=timestamp\\nsecret, msg=''))")
    return problems


SUCCESS = {
    "wecom": {"errcode": 0, "errmsg": "ok"},
    "dingtalk": {"errcode": 0, "errmsg": "ok"},
    "feishu": {"code": 0, "msg": "success", "data": {}},
}


@pytest.fixture
def robot() -> Iterator[Robot]:
    """A local robot server; the path names the kind (/wecom, /dingtalk, /feishu/hook/token)."""
    state = Robot(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            kind = parts.path.strip("/").split("/")[0]
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            body = json.loads(raw.decode("utf-8"))
            query = parse_qs(parts.query)
            if "application/json" not in self.headers.get("Content-Type", ""):
                state.problems.append("Content-Type is JSON")
            state.problems += _check(kind, query, body)
            state.requests.append({"kind": kind, "query": query, "body": body})
            time.sleep(state.delay)
            answer = json.dumps(state.answer or SUCCESS[kind]).encode()
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:
                pass  # the client gave up waiting

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _address(robot: Robot, kind: str) -> str:
    return {
        "wecom": f"{robot.url}/wecom/send?key=wecom-key",
        "dingtalk": f"{robot.url}/dingtalk/robot/send?access_token=ding-token",
        "feishu": f"{robot.url}/feishu/open-apis/bot/v2/hook/feishu-token",
    }[kind]


@pytest.fixture
def busy(store: Store, team: Team, plan: Plan) -> Plan:
    """Team A's plan on 4 March 2026: one item due today, one overdue, a daily 09:00 routine
    (Monday's occurrence done, Tuesday's missed) owned by Lin."""
    ws = team[0].id
    update_item(store, ws, plan.items[0].id, {"due": TODAY, "owner": "Wang"}, expected_version=1)
    update_item(store, ws, plan.items[1].id, {"due": date(2026, 3, 1), "owner": "Lin"},
                expected_version=1)  # fmt: skip
    routine = add_item(store, ws, plan.id, "Morning post [team]", owner="Lin",
                       rule="FREQ=DAILY;BYHOUR=9;BYMINUTE=0", repeat_from=date(2026, 3, 2))  # fmt: skip
    update_occurrence(store, ws, routine.id, datetime(2026, 3, 2, 9), {"status": "done"},
                      expected_version=0)  # fmt: skip
    return plan


def test_the_digest_lists_today_and_overdue(store: Store, team: Team, busy: Plan) -> None:
    digest = build_digest(store, team[0].id, busy.id, today=TODAY, lang="en")
    text = digest.text()
    assert digest.size == 4
    assert "Today (2)" in text and "Overdue (2)" in text
    assert "09:00 · Morning post [team] — Lin" in text
    assert "due today · Pick seed members — Wang" in text
    assert "03-03 09:00 · Morning post" in text and "due 2026-03-01 · Set the group rules" in text
    markdown = digest.markdown()
    assert "Morning post \\[team\\]" in markdown  # people's text is not Markdown
    mine = build_digest(store, team[0].id, busy.id, today=TODAY, lang="zh", person="lin")
    assert mine.size == 3 and "今天 (1)" in mine.text()


def test_a_long_digest_is_cut_to_the_robot_limit(store: Store, team: Team, busy: Plan) -> None:
    for n in range(120):
        add_item(store, team[0].id, busy.id, f"任务 {n} " + "很长的标题" * 10, due=TODAY)
    digest = build_digest(store, team[0].id, busy.id, today=TODAY)
    markdown = digest.markdown()
    assert len(markdown.encode()) <= 4000
    assert "…还有" in markdown and "见计划" in markdown


@pytest.mark.parametrize("kind", ["wecom", "dingtalk", "feishu"])
def test_each_robot_gets_its_documented_format_and_signature(
    store: Store, team: Team, busy: Plan, robot: Robot, kind: str
) -> None:
    result = notify_plan(store, team[0].id, busy.id, webhook=_address(robot, kind), robot=kind,
                         secret=SECRET if kind != "wecom" else None, today=TODAY, lang="zh")  # fmt: skip
    assert result.outcome == "sent", result.message
    assert robot.problems == []
    assert len(robot.requests) == 1
    body = json.dumps(robot.requests[0]["body"], ensure_ascii=False)
    assert "早安" not in body and "Morning post" in body and "逾期 (2)" in body


def test_the_robot_kind_comes_from_the_host() -> None:
    from qunce.plans.notify import robot_kind

    assert robot_kind("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", None) == "wecom"
    assert robot_kind("https://oapi.dingtalk.com/robot/send?access_token=t", None) == "dingtalk"
    assert robot_kind("https://open.larksuite.com/open-apis/bot/v2/hook/t", None) == "feishu"


def test_signatures_match_the_documented_examples() -> None:
    # Recomputed by hand from the documented algorithms (docs/notify.md).
    ding = base64.b64encode(hmac.new(b"s", b"1700000000000\ns", hashlib.sha256).digest())
    assert dingtalk_sign("s", 1700000000000) == ding.decode()
    lark = base64.b64encode(hmac.new(b"1700000000\ns", b"", hashlib.sha256).digest())
    assert feishu_sign("s", 1700000000) == lark.decode()


def test_never_twice_a_day_and_force_sends_again(
    store: Store, team: Team, busy: Plan, robot: Robot
) -> None:
    address = _address(robot, "wecom")
    kwargs: dict[str, Any] = {"webhook": address, "robot": "wecom", "today": TODAY}
    assert notify_plan(store, team[0].id, busy.id, **kwargs).outcome == "sent"
    again = notify_plan(store, team[0].id, busy.id, **kwargs)
    assert again.outcome == "already-sent" and "already sent today" in again.message
    assert len(robot.requests) == 1
    assert (
        notify_plan(store, team[0].id, busy.id, **{**kwargs, "today": date(2026, 3, 5)}).outcome
        == "sent"
    )
    assert notify_plan(store, team[0].id, busy.id, force=True, **kwargs).outcome == "sent"
    assert len(robot.requests) == 3


def test_a_refusal_reports_the_robots_code_and_a_retry_sends(
    store: Store, team: Team, busy: Plan, robot: Robot
) -> None:
    robot.answer = {"errcode": 310000, "errmsg": "sign not match"}
    kwargs: dict[str, Any] = {"webhook": _address(robot, "dingtalk"), "robot": "dingtalk",
                              "secret": SECRET, "today": TODAY}  # fmt: skip
    with pytest.raises(NotifyFailed) as caught:
        notify_plan(store, team[0].id, busy.id, **kwargs)
    assert caught.value.code == 310000
    assert "code 310000 (sign not match)" in str(caught.value)
    assert "signing secret" in str(caught.value)
    robot.answer = None
    assert notify_plan(store, team[0].id, busy.id, **kwargs).outcome == "sent"
    assert len(robot.requests) == 2


def test_feishu_errors_use_code_and_msg(store: Store, team: Team, busy: Plan, robot: Robot) -> None:
    robot.answer = {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}
    with pytest.raises(NotifyFailed, match=r"code 19021 \(sign match fail"):
        notify_plan(store, team[0].id, busy.id, webhook=_address(robot, "feishu"), robot="feishu",
                    secret="wrong", today=TODAY)  # fmt: skip


def test_no_answer_is_not_retried_without_force(
    store: Store, team: Team, busy: Plan, robot: Robot
) -> None:
    robot.delay = 1.5
    kwargs: dict[str, Any] = {"webhook": _address(robot, "wecom"), "robot": "wecom", "today": TODAY}
    with pytest.raises(NotifyFailed, match=r"did not answer within 0\.5 s"):
        notify_plan(store, team[0].id, busy.id, timeout=0.5, **kwargs)
    robot.delay = 0
    with pytest.raises(NotifyFailed, match="may have posted"):
        notify_plan(store, team[0].id, busy.id, **kwargs)
    assert notify_plan(store, team[0].id, busy.id, force=True, **kwargs).outcome == "sent"


def test_an_unreachable_robot_is_a_failure_that_may_be_retried(
    store: Store, team: Team, busy: Plan, robot: Robot
) -> None:
    from tests.browser_support import free_port

    dead = f"http://127.0.0.1:{free_port()}/wecom/send?key=wecom-key"
    with pytest.raises(
        NotifyFailed, match=r"cannot reach http://127\.0\.0\.1:\d+/wecom/send\?key=\*\*\*"
    ):
        notify_plan(store, team[0].id, busy.id, webhook=dead, robot="wecom", today=TODAY)
    assert notify_plan(store, team[0].id, busy.id, webhook=_address(robot, "wecom"),
                       robot="wecom", today=TODAY).outcome == "sent"  # fmt: skip


def test_nothing_due_sends_nothing_unless_asked(
    store: Store, team: Team, plan: Plan, robot: Robot
) -> None:
    kwargs: dict[str, Any] = {"webhook": _address(robot, "wecom"), "robot": "wecom", "today": TODAY}
    assert notify_plan(store, team[0].id, plan.id, **kwargs).outcome == "empty"
    assert robot.requests == []
    assert notify_plan(store, team[0].id, plan.id, send_empty=True, **kwargs).outcome == "sent"
    assert "Nothing due" in json.dumps(robot.requests[0]["body"]) or "没有到期" in json.dumps(
        robot.requests[0]["body"], ensure_ascii=False
    )


def test_redact_hides_tokens() -> None:
    assert redact("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc") == (
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
    )
    assert redact("https://open.feishu.cn/open-apis/bot/v2/hook/abc-123") == (
        "https://open.feishu.cn/open-apis/bot/v2/hook/***"
    )


# ---------------------------------------------------------------- the command


@pytest.mark.parametrize("kind", ["wecom", "dingtalk", "feishu"])
def test_dry_run_prints_each_format_without_secrets(  # type: ignore[no-untyped-def]
    run, team: Team, busy: Plan, robot: Robot, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_NOTIFY_SECRET", SECRET)
    address = _address(robot, kind)
    result = run("notify", "-w", team[1], "-p", str(busy.id), "--robot", kind, "--webhook",
                 address, "--date", TODAY.isoformat(), "--dry-run", "--lang", "en")  # fmt: skip
    out = result.stdout
    assert "Qunce · 618 launch · today 2026-03-04" in out
    assert "POST http://127.0.0.1" in out
    assert {
        "wecom": '"msgtype": "markdown"',
        "dingtalk": '"title"',
        "feishu": '"msg_type": "post"',
    }[kind] in out
    for secret in (SECRET, "wecom-key", "ding-token", "feishu-token"):
        assert secret not in result.output
    assert "dry run: nothing was sent" in result.stderr
    assert robot.requests == []


def test_the_command_sends_once_and_reports_failures(  # type: ignore[no-untyped-def]
    run, team: Team, busy: Plan, robot: Robot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_NOTIFY_WEBHOOK", _address(robot, "feishu"))
    monkeypatch.setenv("QUNCE_NOTIFY_SECRET", SECRET)
    args = (
        "notify",
        "-w",
        team[1],
        "-p",
        str(busy.id),
        "--robot",
        "feishu",
        "--date",
        TODAY.isoformat(),
    )
    assert "sent to the 飞书 (Feishu/Lark) robot (4 entries)" in run(*args).stdout
    assert "already sent today" in run(*args).stdout
    robot.answer = {"code": 19024, "msg": "Key Words Not Found"}
    failed = run(*args, "--force", code=1)
    assert "Error: the 飞书 (Feishu/Lark) robot refused the message: code 19024" in failed.stderr
    assert "Traceback" not in failed.output and "feishu-token" not in failed.output
    monkeypatch.delenv("QUNCE_NOTIFY_WEBHOOK")
    nowhere = run("notify", "-w", team[1], "-p", str(busy.id), code=1)
    assert "no webhook" in nowhere.stderr


def test_digest_is_pure_data() -> None:
    from qunce.plans.calendar import TodayView

    empty = Digest("P", TODAY, TodayView(TODAY, (), ()), "en")
    assert empty.size == 0 and "Nothing due" in empty.text()
