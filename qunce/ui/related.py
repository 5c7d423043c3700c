"""Related items and calculators shown on a playbook's or case's page."""

from __future__ import annotations

import streamlit as st

from qunce.content.catalogue import Catalogue, Item
from qunce.content.schema import Case
from qunce.ui.cards import item_link
from qunce.ui.i18n import tr


def show_related(cat: Catalogue, item: Item) -> None:
    """Items the author linked, then the nearest items in the vector index."""
    from qunce.ui.search import related

    linked = [x for i in item.related if (x := cat.get(i)) is not None]
    if linked:
        st.subheader(tr("相关内容", "Related"))
        for other in linked:
            item_link(other)
    near = [x for i in related(item.id, cat.version(item.id)) if (x := cat.get(i)) is not None and x not in linked]
    if near:
        st.subheader(tr("内容相近", "Similar in meaning"))
        for other in near:
            item_link(other)


def show_calculators(sections: list[str]) -> None:
    """Calculators that serve these book sections."""
    return None


def show_case_calculator(case: Case) -> None:
    """A link that opens the calculator preset with the case's numbers."""
    return None
