"""Planning calculators: one module per calculator, each with an input model, a pure function,
a result model and Plotly charts; `REGISTRY` lists them and `for_sections` finds the ones a
playbook's sections use."""

from qunce.calculators.base import Calculator, FieldSpec, Label, Note, Scenario
from qunce.calculators.errors import CalculatorInputError, InputProblem, UnknownCalculatorError
from qunce.calculators.registry import REGISTRY, for_sections, get, registry
from qunce.calculators.share import from_query, preset_inputs, preset_link, to_query

__all__ = [
    "REGISTRY",
    "Calculator",
    "CalculatorInputError",
    "FieldSpec",
    "InputProblem",
    "Label",
    "Note",
    "Scenario",
    "UnknownCalculatorError",
    "for_sections",
    "from_query",
    "get",
    "preset_inputs",
    "preset_link",
    "registry",
    "to_query",
]
