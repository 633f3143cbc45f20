"""The CSV export (exports/csv.py): FreeSPC's columns first, then ours."""

from __future__ import annotations

import driverdiagram as dd
from tests.paths import ROOT


def test_csv_export_is_freespc_first() -> None:
    """FreeSPC's current columns in its order (its tool writes them so), then ours."""
    text = dd.export(dd.load(ROOT / "tests" / "cases" / "valid" / "spec-example.yaml"), "csv")
    header, aim, primary, assess = text.splitlines()[:4]
    assert header == (
        "id,level,parent_id,text,color,auto_size,extra_parents,box_height,vertical_gap,"
        "font_size,font_family,font_bold,title_aim,title_primary,title_secondary,title_change,"
        "palette_json,measures_json,status,strength,notes,title,team,updated,diagram_notes,labels"
    )
    assert aim.startswith("aim,aim,,")
    assert primary.startswith("identify,primary,aim,Patients at risk are identified early,#")
    assert assess.split(",")[:3] == ["assess", "secondary", "identify"]
    assert assess.split(",")[6] == "environment"
    assert assess.split(",")[7:16] == [
        *("32", "8", "13", "", "0"),
        *("Aim", "Primary drivers", "Secondary drivers", "Change ideas"),
    ]
