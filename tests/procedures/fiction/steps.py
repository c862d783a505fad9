"""The steps of the fictional filing: the whole declaration a procedure needs."""

from minzheng.documents.issuing import issue
from minzheng.documents.kinds import Kind, register
from minzheng.kit.periods import WORKING_DAYS
from minzheng.procedures.declare import Period, Procedure, Step
from minzheng.procedures.declare import register as register_procedure
from tests.procedures.fiction.errors import Error
from tests.procedures.fiction.models import Filing

S = Filing.Status
RECEIPT = register(Kind("fiction_receipt", "备案回执", "fic_rcpt", "测备", "fiction/receipt.html"))
REVIEW = Period("review", "审查期限", 10, WORKING_DAYS, extended=20, basis="（虚构）备案办法第五条")


def _filed(actor, filing, today, data):
    return {"filed_on": today}


def _refused(actor, filing, today, data):
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise Error.FILING_REASON_REQUIRED.error(field="reason")
    return {"reason": reason}


def _receipt(actor, filing):
    payload = {"institution": filing.institution, "filed_on": filing.filed_on.isoformat()}
    return issue(
        actor,
        RECEIPT,
        region_code=filing.region_id,
        today=filing.filed_on,
        payload=payload,
        subject=(FILING.code, filing),
    )


FILING = register_procedure(
    Procedure(
        code="fiction_filing",
        label="虚构备案",
        noun="备案",
        model=Filing,
        view_permission="fiction.view_filing",
        closed=frozenset({S.FILED, S.REFUSED}),
        steps=(
            Step("accept", "受理", "fiction.accept_filing", frozenset({S.SUBMITTED}), S.ACCEPTED,
                 starts=(REVIEW,), queue=True),
            Step("file", "备案", "fiction.decide_filing", frozenset({S.ACCEPTED}), S.FILED,
                 handler=_filed, stops=("review",), document=_receipt, queue=True),
            Step("refuse", "不予备案", "fiction.decide_filing", frozenset({S.ACCEPTED}),
                 S.REFUSED, handler=_refused),
        ),
    )
)  # fmt: skip
