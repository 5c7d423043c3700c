"""Codes derived from the facilitator code; QR images and the printable join sheet."""

from __future__ import annotations

import re

import pytest

from qunce.config import settings
from qunce.plans.workspaces import parse_code
from qunce.workshop.codes import new_host_code, new_salt, screen_code, team_code
from qunce.workshop.links import host_link, screen_link, team_link
from qunce.workshop.qr import SheetEntry, join_sheet_html, qr_png, qr_svg
from qunce.workshop.records import clock, time_left

PNG = b"\x89PNG\r\n\x1a\n"


def test_derived_codes_are_stable_distinct_and_valid() -> None:
    host = new_host_code()
    salt_a, salt_b = new_salt(), new_salt()
    assert team_code(host, salt_a) == team_code(host, salt_a)
    codes = {team_code(host, salt_a), team_code(host, salt_b), screen_code(host, "w1"), host}
    assert len(codes) == 4
    assert team_code(new_host_code(), salt_a) != team_code(host, salt_a)
    for code in codes:
        assert parse_code(code) == code  # a join-code shape: 22 URL-safe characters


def test_links_carry_the_code_and_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUNCE_BASE_URL", "https://qunce.example.org/")
    settings.cache_clear()
    assert team_link("abc", "en") == "https://qunce.example.org/workshop?lang=en&join=abc"
    assert screen_link("xyz") == "https://qunce.example.org/workshop?screen=xyz"
    assert host_link("h", "zh") == "https://qunce.example.org/workshop?lang=zh&host=h"


def test_qr_png_is_big_enough_for_a_projector() -> None:
    data = qr_png("http://localhost:8501/workshop?lang=zh&join=" + "a" * 22, pixels=600)
    assert data.startswith(PNG)
    width = int.from_bytes(data[16:20], "big")
    assert 500 <= width <= 600


def test_join_sheet_escapes_names_and_holds_a_code_per_team() -> None:
    entries = [
        SheetEntry(name="<script>alert(1)</script>", link="http://x/workshop?join=A", code="A"),
        SheetEntry(name="第 2 组", link="http://x/workshop?join=B&lang=zh", code="B"),
    ]
    page = join_sheet_html("Title & <b>", entries, "zh")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "Title &amp; &lt;b&gt;" in page
    assert page.count("<svg") == 2
    assert "join=B&amp;lang=zh" in page
    assert "第 2 组" in page
    assert re.search(r'<svg viewBox="0 0 \d+ \d+" width="60mm"', qr_svg("hello"))


def test_timer_reading() -> None:
    from datetime import timedelta

    assert clock(time_left(timedelta(minutes=2, seconds=5), 15)) == "12:55"
    assert clock(time_left(timedelta(minutes=16, seconds=30), 15)) == "-01:30"
