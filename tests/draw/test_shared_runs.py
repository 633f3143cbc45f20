"""Many drawings with few Graphviz processes (draw/graphviz.py ``outputs``): the same
bytes as each drawn alone, and each failing drawing's own error."""

from __future__ import annotations

import driverdiagram as dd
from driverdiagram.draw import graphviz
from driverdiagram.draw.graphviz import Run, drawing_run, fitting_run


def _source(boxes: int) -> str:
    lines = [f'  n{at} [label="box {at}"]; n0 -> n{at};' for at in range(1, boxes)]
    return "digraph G {\n  n0;\n" + "\n".join(lines) + "\n}\n"


def test_shared_runs_give_the_bytes_of_runs_alone() -> None:
    for format in ("svg", "png", "pdf"):
        runs = [drawing_run(_source(boxes), format, name=f"d{boxes}.yaml") for boxes in (2, 5, 9)]
        found = graphviz.outputs(runs)
        for run, output in zip(runs, found, strict=True):
            alone = run.output()
            if format == "pdf":  # cairo dates each PDF: compare all but the date
                output = b"".join(output.split(b"/CreationDate")[:1])
                alone = b"".join(alone.split(b"/CreationDate")[:1])
            assert output == alone, format
    fitted = [fitting_run(_source(b), (500, 300), 2, name="f.yaml", dpi=96) for b in (3, 4)]
    assert graphviz.outputs(fitted) == [run.output() for run in fitted]


def test_a_failing_run_gets_its_own_error_and_the_others_their_drawings() -> None:
    good = drawing_run(_source(4), "svg", name="good.yaml")
    bad = Run("digraph { a -> }", ("-Tsvg",), "bad.yaml")
    found = graphviz.outputs([good, bad, good])
    assert found[0] == found[2] == good.output()
    assert isinstance(found[1], dd.RenderError)
    (problem,) = found[1].problems
    assert problem.location.path == "bad.yaml"
    assert "syntax error" in problem.message


def test_a_shared_process_out_of_time_runs_each_alone_within_its_own_limit() -> None:
    slow = drawing_run(_source(3000), "svg", name="slow.yaml")  # seconds in dot
    quick = [drawing_run(_source(3), "svg", name=f"q{at}.yaml") for at in range(3)]
    with dd.limits(dot_timeout=0.5):
        found = graphviz.outputs([quick[0], slow, quick[1], quick[2]])
    assert [found[0], found[2], found[3]] == [run.output() for run in quick]
    assert isinstance(found[1], dd.RenderError)
    assert "longer than 0.5 seconds" in found[1].problems[0].message
