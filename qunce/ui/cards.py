"""Cards and links for items, shared by the Home, Search, Playbooks and Cases pages."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from qunce.content.catalogue import Catalogue, Item
from qunce.content.schema import Case
from qunce.ui.i18n import lang, text, tr

PLAYBOOKS_PAGE = "views/playbooks.py"
CASES_PAGE = "views/cases.py"
CALCULATORS_PAGE = "views/calculators.py"
PLANS_PAGE = "views/plans.py"


PAGES_KEY = "app.pages"  # script path -> st.Page, set by app.py on every run


def page_of(item: Item) -> str:
    """The page that shows this item."""
    return CASES_PAGE if isinstance(item, Case) else PLAYBOOKS_PAGE


def kind_label(item: Item) -> str:
    """ "案例" / "Case" or "方法" / "Playbook"."""
    return tr("案例", "Case") if isinstance(item, Case) else tr("方法", "Playbook")


def page(script: str) -> object:
    """The page object app.py made for a script, else the script's path.

    Given a path, page_link resolves it against the file system on every call (a tenth of a
    search run's time under load)."""
    pages = st.session_state.get(PAGES_KEY) or {}
    return pages.get(script, script)


def item_link(
    item: Item,
    label: str | None = None,
    key_suffix: str = "",
    params: dict[str, str] | None = None,
) -> None:
    """A link that opens the item's own page (a button when that page is the one we are on);
    `params` open it at a place, e.g. {"step": "handle-silence-and-noise"} or {"move": "2"}."""
    target = "cases" if isinstance(item, Case) else "playbooks"
    if st.session_state.get("app.page") == target:
        st.button(
            label or text(item.title),
            key=f"open.{item.id}.{key_suffix or label or ''}",
            icon="🗂️" if isinstance(item, Case) else "📘",
            on_click=_show,
            args=(item.id,),
            type="tertiary",
        )
        return
    st.page_link(
        page(page_of(item)),  # type: ignore[arg-type]
        label=label or text(item.title),
        icon="🗂️" if isinstance(item, Case) else "📘",
        query_params={"id": item.id, **(params or {}), "lang": lang()},
    )


def _show(item_id: str | None) -> None:
    if item_id:
        st.query_params["id"] = item_id
    elif "id" in st.query_params:
        del st.query_params["id"]


def open_here(item: Item, label: str | None = None) -> None:
    """Open an item shown on the page we are on (a page link to the same page does not rerun)."""
    st.button(
        label or tr("打开", "Open"),
        key=f"open.{item.id}.card",
        icon="📂",
        on_click=_show,
        args=(item.id,),
        type="tertiary",
    )


def back_here(label: str) -> None:
    """Leave an item's view for the list on the same page."""
    st.button(label, key="back", on_click=_show, args=(None,), type="tertiary")


FILTER_LABELS = {
    "platforms": ("平台", "Platform"),
    "stages": ("阶段", "Stage"),
    "tags": ("标签", "Tag"),
}


def vocab_filter(
    where: DeltaGenerator, cat: Catalogue, field: str, key: str, options: list[str] | None = None
) -> list[str]:
    """A multiselect over one vocabulary field, labelled in the UI language.

    The labels are computed now: widget format functions may run outside the script (AppTest).
    """
    keys = list(getattr(cat.vocabulary, field)) if options is None else options
    shown = {k: cat.vocabulary.label(field, k, lang()) for k in keys}
    return where.multiselect(
        tr(*FILTER_LABELS[field]),
        keys,
        format_func=shown.__getitem__,
        key=key,
        placeholder=tr("全部", "All"),
    )


def labels(cat: Catalogue, field: str, values: list[str]) -> str:
    """Vocabulary labels in the UI language, joined by ' · '."""
    return " · ".join(cat.vocabulary.label(field, v, lang()) for v in values)


def section_line(cat: Catalogue, item: Item) -> str:
    """'§3.2 Title' for the item's first section."""
    number = item.sections[0]
    title = cat.book.title_of(number)
    return f"§{number} {text(title) if title else ''}"


def case_year(case: Case) -> str:
    """The case's year, marked when it is the book's period rather than a verified date."""
    return tr(f"约 {case.year} 年", f"c. {case.year}") if case.year_approx else str(case.year)


def item_card(
    cat: Catalogue,
    item: Item,
    snippet: str | None = None,
    extra: str | None = None,
    here: bool = False,
) -> None:
    """A bordered card: kind, title, section, summary (or a matching snippet), platforms, link.

    `here` when the item's own page is the page showing the card."""
    with st.container(border=True):
        head = f"**{text(item.title)}**"
        if isinstance(item, Case):
            head += f"  ·  {text(item.company)} {case_year(item)}"
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
        if here:
            open_here(item)
        else:
            item_link(item, label=tr("打开", "Open"))


def landing_target(name: str) -> str | None:
    """The place a link asked to open at (`?step=...`, `?move=2`, `?lesson=1`), if any."""
    value = st.query_params.get(name)
    return value or None


def land_here(anchor: str) -> None:
    """Mark this spot and bring it into view once the page has drawn (a search result's landing).

    Streamlit has no scroll command; a one-line script scrolls to an element placed here. It
    retries for two seconds, since the elements above may still be arriving."""
    safe = "".join(ch for ch in anchor if ch.isalnum() or ch in "-_")
    st.html(
        f'<span id="qunce-{safe}"></span><script>(function(){{let n=0;const t=setInterval(()=>{{'
        f'const e=document.getElementById("qunce-{safe}");if(e){{e.scrollIntoView({{block:"center"}});}}'
        f"if(++n>8)clearInterval(t);}},250);}})();</script>",
        unsafe_allow_javascript=True,
    )
