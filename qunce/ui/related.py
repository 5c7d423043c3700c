"""Related items and calculators shown on a playbook's or case's page."""

from __future__ import annotations

import streamlit as st

from qunce.content.catalogue import Catalogue, Item
from qunce.content.schema import Case
from qunce.ui.cards import item_link
from qunce.ui.i18n import lang, tr


def show_related(cat: Catalogue, item: Item) -> None:
    """Items the author linked, then the nearest items in the vector index."""
    from qunce.ui.search import related

    linked = [x for i in item.related if (x := cat.get(i)) is not None]
    if linked:
        st.subheader(tr("相关内容", "Related"))
        for other in linked:
            item_link(other, key_suffix="linked")
    near = [
        x
        for i in related(item.id, cat.version(item.id))
        if (x := cat.get(i)) is not None and x not in linked
    ]
    if near:
        st.subheader(tr("内容相近", "Similar in meaning"))
        for other in near:
            item_link(other, key_suffix="near")


def show_calculators(sections: list[str]) -> None:
    """Calculators that serve these book sections, each a link to the calculator page."""
    from qunce.calculators.registry import for_sections

    calculators = for_sections(sections)
    if not calculators:
        return
    st.subheader(tr("用数字规划", "Plan it with numbers"))
    for calc in calculators:
        st.page_link(
            "views/calculators.py",
            label=f"{calc.title.get(lang())} — {calc.summary.get(lang())}",
            icon="🧮",
            query_params={"calc": calc.id, "lang": lang()},
        )


def show_case_calculator(case: Case) -> None:
    """A link that opens the calculator preset with the case's numbers."""
    if case.calculator is None:
        return
    from qunce.calculators.registry import get
    from qunce.calculators.share import preset_link

    try:
        params = preset_link(case, lang())
        title = get(case.calculator.id).title.get(lang())
    except (KeyError, ValueError) as exc:
        st.warning(
            tr(
                f"这个案例的计算器预设无效：{exc}",
                f"This case's calculator preset is invalid: {exc}",
            )
        )
        return
    st.page_link(
        "views/calculators.py",
        label=tr(
            f"在计算器中打开这些数字（{title}）", f"Open these numbers in a calculator ({title})"
        ),
        icon="🧮",
        query_params=params,
    )
