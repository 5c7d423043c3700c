"""Workshop mode: agendas, the presenter deck, PPTX and Markdown exports, team codes, the board.

Modules: `agenda` (what is presented), `deck` and `budget` (slides in both languages, and how
much text they carry), `pptx_export`, `handout`, `report` and `files` (files and their names),
`codes`, `shortcodes`, `links`, `reach` and `qr` (how teams join), `models`, `records` and
`repository` (the database), `board` (live progress), `polls` and `charts` (asking the room).
See docs/workshop.md.
"""
