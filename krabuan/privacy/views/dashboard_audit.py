"""Pages of the publication audit (process 15 step 9): the runs, starting one, its progress and
report, and a decision on each item found. The privacy team only; others get "not found"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from krabuan.core.documents import XLSX_CONTENT_TYPE
from krabuan.core.errors import ApplicationError, NotFound
from krabuan.core.models import Job
from krabuan.org.forms import ThaiForm, errors_from
from krabuan.privacy.models import PublicationAudit
from krabuan.privacy.permissions import is_privacy_team
from krabuan.privacy.services import publication_audit as service


class DecisionForm(ThaiForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("การตัดสินใจ"), choices=[("", "—"), *service.DECISIONS.items()]
    )
    note = forms.CharField(
        label=gettext_lazy("เหตุผล/สิ่งที่ดำเนินการ"), widget=forms.Textarea(attrs={"rows": 2})
    )


def _audit_or_404(request: HttpRequest, audit_id: int) -> PublicationAudit:
    try:
        return service.publication_audit_get(user=request.user, audit_id=audit_id)
    except NotFound:
        raise Http404(_("ไม่พบผลการตรวจสอบการเผยแพร่")) from None


@login_required
@require_http_methods(["GET", "POST"])
def publication_audit_list(request: HttpRequest) -> HttpResponse:
    """The runs, newest first; POST starts a new run and opens its page."""
    if not is_privacy_team(request.user):
        raise Http404(_("ไม่พบหน้า"))
    if request.method == "POST":
        try:
            audit = service.publication_audit_start(actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("เริ่มตรวจสอบการเผยแพร่แล้ว"))
            return redirect("privacy:publication_audit_detail", audit_id=audit.pk)
    audits = PublicationAudit.objects.select_related("started_by").order_by("-created_at", "-id")
    return render(request, "privacy/dashboard/audit_list.html", {"audits": audits[:100]})


def _context(
    audit: PublicationAudit, bound: dict[int, DecisionForm] | None = None
) -> dict[str, Any]:
    job = Job.objects.filter(pk=audit.job_id).first() if audit.job_id else None
    items = []
    for index, item in enumerate(audit.findings):
        form = (bound or {}).get(index) or DecisionForm(
            initial={"decision": item.get("decision", ""), "note": item.get("note", "")}
        )
        items.append(
            {
                "index": index,
                "item": item,
                "form": form,
                "decision_label": service.DECISIONS.get(item.get("decision", ""), ""),
                "decided_at": service.decided_at_text(item),
                "findings": [
                    {**f, "label": service.KIND_LABELS.get(f.get("kind", ""), f.get("kind", ""))}
                    for f in item.get("findings", [])
                ],
            }
        )
    return {
        "audit": audit,
        "job": job,
        "items": items,
        "undecided": sum(1 for i in audit.findings if not i.get("decision")),
    }


@login_required
def publication_audit_detail(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = _audit_or_404(request, audit_id)
    return render(request, "privacy/dashboard/audit_detail.html", _context(audit))


@login_required
@require_POST
def publication_audit_decide(request: HttpRequest, audit_id: int, index: int) -> HttpResponse:
    audit = _audit_or_404(request, audit_id)
    form = DecisionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            service.publication_audit_decide(
                actor=request.user,
                audit=audit,
                index=index,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            errors_from(form, exc)
            status = exc.status
        else:
            messages.success(request, _("บันทึกการตัดสินใจแล้ว"))
            return redirect("privacy:publication_audit_detail", audit_id=audit.pk)
    audit.refresh_from_db()
    context = _context(audit, {index: form})
    return render(request, "privacy/dashboard/audit_detail.html", context, status=status)


@login_required
def publication_audit_report(request: HttpRequest, audit_id: int) -> HttpResponse:
    """The report as XLSX, made from the stored findings and decisions (any team member)."""
    audit = _audit_or_404(request, audit_id)
    if audit.finished_at is None:
        raise Http404(_("การตรวจสอบยังไม่เสร็จ"))
    response = HttpResponse(service.report_xlsx(audit), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="publication-audit-{audit.pk}.xlsx"'
    return response
