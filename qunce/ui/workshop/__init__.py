"""The workshop page's parts, one module per concern (see docs/workshop.md):

- `landing`: create a workshop (agenda builder), open one with the facilitator code, join a team
  by typing its short code;
- `desk`: the trainer's desk (view switch, agenda, exports and the report);
- `presenter`: current and next slide, notes, timer, polls, keyboard, the phone remote;
- `screen`: the audience screen; `slides`: a slide drawn to fit any screen;
- `teams`: links phones can open, QR codes, short codes, rotation; `board`: the live board;
- `team`: a team's phone; `polls`: ask the room; `common`: what they share.

Who sees what is decided by the code a browser session holds, never by a page switch:
- the facilitator code (typed, or `?host=` once; then kept in the session and the browser's
  keyring) opens the desk, or with `?remote=1` the phone remote;
- a screen code (`?screen=`) shows the current slide, without notes or controls;
- a team's join code (`?join=`) shows that team's checklist, polls and what is presented.
"""

from qunce.ui.workshop.desk import host_desk
from qunce.ui.workshop.landing import host_code, landing
from qunce.ui.workshop.presenter import remote_view
from qunce.ui.workshop.screen import screen_view
from qunce.ui.workshop.team import team_view

__all__ = ["host_code", "host_desk", "landing", "remote_view", "screen_view", "team_view"]
