"""What the library holds: counts and charts over the catalogue (plotly, no streamlit)."""

from __future__ import annotations

from collections import Counter

import plotly.graph_objects as go

from qunce.content.catalogue import Catalogue
from qunce.content.schema import Case


def counts(catalogue: Catalogue, field: str) -> Counter[str]:
    """How many items carry each value of a list field ("platforms", "stages", "tags")."""
    return Counter(value for item in catalogue.items.values() for value in getattr(item, field))


def sunburst(catalogue: Catalogue, lang: str) -> go.Figure:
    """Chapters → sections → items, sized by the number of items."""
    ids: list[str] = []
    labels: list[str] = []
    parents: list[str] = []
    values: list[int] = []
    hover: list[str] = []
    by_section: dict[str, list[str]] = {}
    for item in catalogue.items.values():
        top = item.sections[0].split(".")
        by_section.setdefault(".".join(top[:2]), []).append(item.id)
    for chapter in catalogue.book.chapters:
        chapter_id = f"ch{chapter.number}"
        chapter_total = 0
        section_rows = []
        for section in chapter.sections:
            items = by_section.get(section.number, [])
            if not items:
                continue
            chapter_total += len(items)
            section_rows.append((section, items))
        if not chapter_total:
            continue
        ids.append(chapter_id)
        labels.append(f"{chapter.number}" if lang == "zh" else f"Ch {chapter.number}")
        parents.append("")
        values.append(chapter_total)
        hover.append(chapter.title.get(lang))
        for section, items in section_rows:
            ids.append(section.number)
            labels.append(section.number)
            parents.append(chapter_id)
            values.append(len(items))
            hover.append(section.title.get(lang))
            for item_id in items:
                item = catalogue.items[item_id]
                ids.append(f"{section.number}/{item_id}")
                labels.append(
                    ("📁 " if isinstance(item, Case) else "📘 ") + item.title.get(lang)[:14]
                )
                parents.append(section.number)
                values.append(1)
                hover.append(item.title.get(lang))
    figure = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            hovertext=hover,
            hoverinfo="text",
            insidetextorientation="radial",
        )
    )
    figure.update_layout(margin={"t": 10, "l": 10, "r": 10, "b": 10}, height=560)
    return figure


def cases_by_year(catalogue: Catalogue, lang: str, cases: list[Case] | None = None) -> go.Figure:
    """Cases by year and platform: one bubble per cell, sized by count, names on hover.

    Cases whose year is only the book's period (`year_approx`) are hollow bubbles with their own
    legend entry, so a guess never reads as a date.
    """
    cells: dict[tuple[int, str, bool], list[str]] = {}
    for case in catalogue.cases if cases is None else cases:
        for platform in case.platforms or ["-"]:
            label = catalogue.vocabulary.label("platforms", platform, lang)
            cells.setdefault((case.year, label, case.year_approx), []).append(
                case.company.get(lang)
            )
    figure = go.Figure()
    for approx in (False, True):
        keys = sorted(k for k in cells if k[2] is approx)
        if not keys:
            continue
        counts = [len(cells[k]) for k in keys]
        name = (
            ("约（书中时期，未核实）" if lang == "zh" else "c. (the book's period, unverified)")
            if approx
            else ("有据可查的年份" if lang == "zh" else "verified year")
        )
        figure.add_trace(
            go.Scatter(
                x=[k[0] for k in keys],
                y=[k[1] for k in keys],
                name=name,
                mode="markers+text",
                text=[str(n) for n in counts],
                customdata=["<br>".join(sorted(set(cells[k]))) for k in keys],
                marker={
                    "size": [14 + 10 * n for n in counts],
                    "color": "rgba(0,0,0,0)" if approx else "#c2410c",
                    "line": {"color": "#c2410c", "width": 2},
                    "opacity": 0.85,
                },
                textfont={"color": "#c2410c" if approx else "white"},
                hovertemplate=("≈ " if approx else "")
                + "%{x} · %{y}<br>%{customdata}<extra></extra>",
            )
        )
    keys = sorted(cells)
    platforms = sorted({k[1] for k in keys})
    figure.update_layout(
        height=max(320, 36 * len(platforms) + 120),
        margin={"t": 20, "l": 10, "r": 10, "b": 30},
        xaxis={"dtick": 1, "title": "年份" if lang == "zh" else "Year"},
        yaxis={"title": ""},
        legend={"orientation": "h", "y": -0.2},
    )
    return figure
