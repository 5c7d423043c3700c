"""Widgets of the Launch plans page, one module per part of it (views/plans.py lays them out).

- `common`: state keys, `md()` escaping, flash messages, `guarded` callbacks, the plan summary;
- `team`: joining or creating a workspace, the workspace bar, inviting people;
- `chooser`: choosing a plan (kept by id), building one from playbooks, importing a plan file;
- `snapshot`: this session's copy of the plan, read again only when its stamp moved; presence;
- `live`: the fragment that redraws the live views every few seconds;
- `checklist`: the items, one-tap boxes and forms that survive a refresh, stale saves;
- `agenda`: Today and This week, for everyone or one person;
- `calendar`: the week and month grids and the chosen day;
- `taps`: one-tap done / skip of an item or an occurrence, and refused taps;
- `timeline`, `history` (playbook updates and the plan's history), `exports` (and settings).
"""

from qunce.ui.plans.chooser import choose_plan, new_plan_form
from qunce.ui.plans.common import init_state, md, plan_summary, show_flashes
from qunce.ui.plans.exports import exports
from qunce.ui.plans.history import history, updates
from qunce.ui.plans.live import LIVE_SECONDS, live_view
from qunce.ui.plans.team import pending_join_panel, workspace_bar, workspace_gate
from qunce.ui.plans.timeline import timeline

__all__ = [
    "LIVE_SECONDS",
    "choose_plan",
    "exports",
    "history",
    "init_state",
    "live_view",
    "md",
    "new_plan_form",
    "pending_join_panel",
    "plan_summary",
    "show_flashes",
    "timeline",
    "updates",
    "workspace_bar",
    "workspace_gate",
]
