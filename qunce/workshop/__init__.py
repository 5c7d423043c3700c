"""Workshop mode: agendas, the presenter deck, PPTX and Markdown exports, team codes, the board.

Modules: `agenda` (what is presented), `deck` (slides in both languages), `pptx_export` and
`handout` (files), `codes`, `links` and `qr` (how teams join), `models` and `repository` (the
database), `board` (live progress). See docs/workshop.md.
"""
