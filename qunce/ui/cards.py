"""Cards and links for items, shared by the Home, Search, Playbooks and Cases pages."""

from __future__ import annotations

import streamlit as st

from qunce.content.catalogue import Catalogue, Item
from qunce.content.schema import Case
from qunce.ui.i18n import lang, text, tr

PLAYBOOKS_PAGE = "views/playbooks.py"
CASES_PAGE = "views/cases.py"


def page_of(item: Item) -> str:
    """The page that shows this item."""
    return CASES_PAGE if isinstance(item, Case) else PLAYBOOKS_PAGE


def kind_label(item: Item) -> str:
    """"案例" / "Case" or "方法" / "Playbook"."""
    return tr("案例", "Case") if isinstance(item, Case) else tr("方法", "Playbook")


def item_link(item: Item, label: str | None = None, key_suffix: str = "") -> None:
    """A link that opens the item's own page."""
    st.page_link(
        page_of(item),
        label=label or text(item.title),
        icon="🗂️" if isinstance(item, Case) else "📘",
        query_params={"id": item.id, "lang": lang()},
    )


def labels(cat: Catalogue, field: str, values: list[str]) -> str:
    """Vocabulary labels in the UI language, joined by ' · '."""
    return " · ".join(cat.vocabulary.label(field, v, lang()) for v in values)


def section_line(cat: Catalogue, item: Item) -> str:
    """'§3.2 Title' for the item's first section."""
    number = item.sections[0]
    title = cat.book.title_of(number)
    return f"§{number} {text(title) if title else ''}"


def item_card(cat: Catalogue, item: Item, snippet: str | None = None, extra: str | None = None) -> None:
    """A bordered card: kind, title, section, summary (or a matching snippet), platforms, link."""
    with st.container(border=True):
        head = f"**{text(item.title)}**"
        if isinstance(item, Case):
            head += f"  ·  {text(item.company)} {item.year}"
        st.markdown(f":orange-badge[{kind_label(item)}] {head}")
        st.caption(section_line(cat, item))
        if snippet:
            st.markdown(snippet)
        else:
            st.write(text(item.summary))
        meta = labels(cat, "platforms", item.platforms)
        if meta:
            st.caption("📍 " + meta)
        if extra:
            st.caption(extra)
        item_link(item, label=tr("打开", "Open"))
