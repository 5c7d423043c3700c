"""All calculators by id, and which of them serve a playbook's or case's book sections."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from qunce.calculators import crowdfunding, fan_value, funnel, group_capacity, health, referral
from qunce.calculators.base import Calculator
from qunce.calculators.errors import UnknownCalculatorError

REGISTRY: dict[str, Calculator[Any, Any]] = {
    calc.id: calc
    for calc in (
        funnel.CALCULATOR,
        fan_value.CALCULATOR,
        referral.CALCULATOR,
        crowdfunding.CALCULATOR,
        health.CALCULATOR,
        group_capacity.CALCULATOR,
    )
}


def registry() -> list[Calculator[Any, Any]]:
    """Every calculator, in the order the UI lists them."""
    return list(REGISTRY.values())


def get(calc_id: str) -> Calculator[Any, Any]:
    """The calculator with this id; UnknownCalculatorError (a KeyError) if there is none."""
    try:
        return REGISTRY[calc_id]
    except KeyError:
        raise UnknownCalculatorError(calc_id, list(REGISTRY)) from None


def serves(calc_section: str, listed: str) -> bool:
    """Whether a calculator section falls under a listed section: equal, or a sub-section of it."""
    return calc_section == listed or calc_section.startswith(listed + ".")


def for_sections(sections: Iterable[str]) -> list[Calculator[Any, Any]]:
    """The calculators serving any of these book sections, in registry order.

    A calculator appears when one of its sections equals a listed section or lies under it:
    funnel serves "3.1.2", so it appears for ["3.1.2"], ["3.1"] and ["3"], but not for ["3.1.1"];
    group-capacity serves "6.1", so a list with only "6.1.4" does not get it (items list their
    parent section as well, so a case in 6.1.4 lists "6.1" and does).
    """
    listed = [s.strip() for s in sections if s and s.strip()]
    return [
        calc
        for calc in REGISTRY.values()
        if any(serves(own, wanted) for own in calc.sections for wanted in listed)
    ]
