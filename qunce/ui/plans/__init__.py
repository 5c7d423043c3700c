"""Widgets of the Launch plans page, one module per part of it (views/plans.py lays them out).

- `common`: state keys, `md()` escaping, flash messages, `guarded` callbacks, the plan summary;
- `team`: joining or creating a workspace, the workspace bar, inviting people;
- `chooser`: choosing a plan, building one from playbooks, importing a plan file;
- `checklist`: the items and their forms, stale saves;
- `timeline`, `history` (playbook updates and the plan's history), `exports` (and settings).
"""

from qunce.ui.plans.checklist import checklist_panel, refresh_button
from qunce.ui.plans.chooser import choose_plan, new_plan_form
from qunce.ui.plans.common import init_state, md, plan_summary, show_flashes
from qunce.ui.plans.exports import exports
from qunce.ui.plans.history import history, updates
from qunce.ui.plans.team import pending_join_panel, workspace_bar, workspace_gate
from qunce.ui.plans.timeline import timeline

__all__ = [
    "checklist_panel",
    "choose_plan",
    "exports",
    "history",
    "init_state",
    "md",
    "new_plan_form",
    "pending_join_panel",
    "plan_summary",
    "refresh_button",
    "show_flashes",
    "timeline",
    "updates",
    "workspace_bar",
    "workspace_gate",
]
