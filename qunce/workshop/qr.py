"""QR codes (segno) for join links, and the printable sheet with every team's code.

The sheet is one self-contained HTML file: inline SVG codes, print CSS, no scripts, no external
files. Every text in it that a person typed is HTML-escaped.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno

# Level M survives a quarter of the modules being unreadable: glare on a projector screen, a
# crease in a printout.
ERROR_LEVEL = "m"


def qr_png(data: str, pixels: int = 600) -> bytes:
    """A PNG of the QR code for `data`, about `pixels` wide (with the quiet zone)."""
    code = segno.make(data, error=ERROR_LEVEL, micro=False)
    modules = code.symbol_size(scale=1, border=4)[0]
    out = io.BytesIO()
    code.save(out, kind="png", scale=max(1, pixels // modules), border=4)
    return out.getvalue()


def qr_svg(data: str, size_mm: int = 60) -> str:
    """An inline SVG of the QR code for `data`, `size_mm` millimetres wide when printed."""
    code = segno.make(data, error=ERROR_LEVEL, micro=False)
    modules = code.symbol_size(scale=1, border=4)[0]
    svg: str = code.svg_inline(scale=1, border=4, omitsize=True)
    # A viewBox with a printed size scales the symbol without blurring it.
    return svg.replace(
        "<svg ",
        f'<svg viewBox="0 0 {modules} {modules}" width="{size_mm}mm" height="{size_mm}mm" ',
        1,
    )


@dataclass(frozen=True)
class SheetEntry:
    """One team on the sheet."""

    name: str
    link: str
    code: str


def join_sheet_html(title: str, entries: Sequence[SheetEntry], lang: str = "zh") -> str:
    """A printable HTML page: one card per team with its name, QR code, link and code."""
    en = lang == "en"
    heading = "Team join codes" if en else "各组加入二维码"
    hint = (
        "Scan with a phone camera or WeChat, or type the link. Keep this sheet away from other teams."
        if en
        else "用手机相机或微信扫一扫，也可以输入链接。请勿把本组的码给其他组。"
    )
    cards = []
    for entry in entries:
        cards.append(
            '<section class="card">'
            f"<h2>{html.escape(entry.name)}</h2>"
            f'<div class="qr">{qr_svg(entry.link)}</div>'
            f'<p class="link">{html.escape(entry.link)}</p>'
            f'<p class="code">{"Code" if en else "加入码"}: <b>{html.escape(entry.code)}</b></p>'
            "</section>"
        )
    lang_attr = "en" if en else "zh-CN"
    return f"""<!doctype html>
<html lang="{lang_attr}">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} · {heading}</title>
<style>
  body {{ font-family: Arial, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC",
          "WenQuanYi Micro Hei", sans-serif; margin: 12mm; color: #1f2937; }}
  header h1 {{ font-size: 20pt; margin: 0 0 2mm; }}
  header p {{ margin: 0 0 6mm; color: #4b5563; }}
  .grid {{ display: grid; grid-template-columns: repeat(2, 1fr); gap: 8mm; }}
  .card {{ border: 0.4mm solid #9ca3af; border-radius: 3mm; padding: 6mm; text-align: center;
           break-inside: avoid; page-break-inside: avoid; }}
  .card h2 {{ font-size: 22pt; margin: 0 0 4mm; }}
  .qr svg {{ display: block; margin: 0 auto; }}
  .link {{ font-family: monospace; font-size: 8pt; word-break: break-all; margin: 3mm 0 1mm; }}
  .code {{ font-size: 10pt; margin: 0; }}
  @media print {{ body {{ margin: 8mm; }} }}
</style>
</head>
<body>
<header><h1>{html.escape(title)}</h1><p>{heading} — {hint}</p></header>
<main class="grid">
{chr(10).join(cards)}
</main>
</body>
</html>
"""
