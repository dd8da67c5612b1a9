"""`layak audit show`: one recorded decision as recorded, with the columns of `layak explain`."""

from __future__ import annotations

from engine.audit import views
from engine.audit.show import show
from engine.audit.store import Store
from engine.errors import ExitCode
from engine.present.render import Report, emit
from engine.present.views import decision_header, requirement_table


def run(decision_id: str, db: str | None, fmt: str, lang: str) -> ExitCode:
    with Store.open(db, read_only=True) as store:
        shown = show(store, decision_id)
    if fmt == "json":
        emit(Report(data=views.show_json(shown, lang)), fmt, lang)
        return ExitCode.OK
    emit(
        Report(
            data=None,
            header=decision_header(shown.decision, lang),
            tables=[
                requirement_table(shown.outcomes(), lang, shown.anchors(), shown.decision.as_of),
                views.show_recorded(shown, lang),
            ],
        ),
        fmt,
        lang,
    )
    return ExitCode.OK
