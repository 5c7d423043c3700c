"""Every workshop exercise that names a calculator opens it with valid inputs."""

from __future__ import annotations

from qunce.calculators.errors import CalculatorInputError
from qunce.calculators.share import parse
from qunce.content.catalogue import load_catalogue


def test_every_exercise_calculator_accepts_its_inputs() -> None:
    catalogue = load_catalogue()
    failures = []
    checked = 0
    for pb in catalogue.playbooks:
        exercise = pb.trainer.exercise if pb.trainer else None
        if exercise is None or exercise.calculator is None:
            continue
        checked += 1
        try:
            parsed = parse(exercise.calculator, exercise.inputs)
        except (CalculatorInputError, KeyError) as error:
            failures.append(f"{pb.id}: {error}")
            continue
        for name, value in exercise.inputs.items():
            if not isinstance(value, list):
                assert getattr(parsed, name) == value, f"{pb.id}.{name}"
    assert not failures, "\n".join(failures)
    # the content issue asks for most playbooks' exercises to use a calculator
    with_trainer = sum(1 for pb in catalogue.playbooks if pb.trainer)
    assert checked >= with_trainer // 2
