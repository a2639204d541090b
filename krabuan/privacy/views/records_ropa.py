"""RoPA pages: the register (filters, XLSX / DOCX / PDF of the whole register), a RoPA with its
versions, completeness and refusals, the editor of the working version, the approval actions,
and the DOCX / PDF of one version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krabuan.core.documents import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from krabuan.org.models import Role, Unit, UnitKind
from krabuan.privacy.documents.ropa_data import register_docs, register_title, ropa_doc
from krabuan.privacy.documents.ropa_docx import ropa_docx
from krabuan.privacy.documents.ropa_pdf import ropa_pdf
from krabuan.privacy.documents.ropa_xlsx import register_xlsx
from krabuan.privacy.models import ProcessingActivity, Ropa, RopaKind, RopaVersion
from krabuan.privacy.permissions import can_approve_for_unit, is_privacy_team
from krabuan.privacy.selectors import records as sel
from krabuan.privacy.services import ropa as svc
from krabuan.privacy.views.records_common import (
    act,
    call,
    download,
    editors,
    int_param,
    or_404,
    readers,
)
from krabuan.privacy.views.records_forms import (
    NoteForm,
    RefusalForm,
    RopaCreateForm,
    RopaForm,
    ropa_initial,
)

SECURITY_TEMPLATE = (
    "มาตรการเชิงองค์กร: \n"
    "มาตรการเชิงเทคนิค: \n"
    "มาตรการทางกายภาพ: \n"
    "การควบคุมการเข้าถึง (ยืนยันตัวตน สิทธิเท่าที่จำเป็น การบริหารจัดการผู้ใช้ บันทึกการเข้าถึง): \n"
    "การสร้างความตระหนักและการทบทวนมาตรการ: "
)
FORMATS = {"docx": DOCX_CONTENT_TYPE, "pdf": PDF_CONTENT_TYPE}


@readers
@require_GET
def ropa_register(request: HttpRequest) -> HttpResponse:
    """Every RoPA: filters unit / kind / published-only / search; ?format=xlsx|docx|pdf exports
    what the filters keep (each one's newest version, or with state=published its published
    one)."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in RopaKind.values else ""
    published_only = request.GET.get("state") == "published"
    q = request.GET.get("q", "").strip()[:200]
    ropas = sel.ropa_register(
        unit_id=int_param(request, "unit"), kind=kind, published_only=published_only, q=q
    )
    fmt = request.GET.get("format", "")
    if fmt in {"xlsx", "docx", "pdf"}:
        docs = register_docs(ropas, published_only=published_only)
        title = register_title(published_only=published_only)
        name = f"ropa-register-{timezone.localdate().isoformat()}.{fmt}"
        if fmt == "xlsx":
            return download(register_xlsx(docs), name, XLSX_CONTENT_TYPE)
        content = (
            ropa_docx(docs, title=title, register=True)
            if fmt == "docx"
            else ropa_pdf(docs, title=title, register=True)
        )
        return download(content, name, FORMATS[fmt])
    rows = [
        {"ropa": r, "published": sel.ropa_published(r), "latest": sel.ropa_latest(r)} for r in ropas
    ]
    return render(
        request,
        "privacy/records/ropa_register.html",
        {
            "rows": rows,
            "units": sel.owning_units(),
            "kinds": RopaKind.choices,
            "state": "published" if published_only else "latest",
            "q": q,
        },
    )


@editors
@require_POST
def ropa_create(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = or_404(sel.processing_activity_get, user=request.user, activity_id=activity_id)
    form = RopaCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ประเภทบันทึกไม่ถูกต้อง"))
        return redirect("privacy:activity_detail", activity_id=activity.pk)
    ropa = call(
        None, svc.ropa_create, actor=request.user, activity=activity, kind=form.cleaned_data["kind"]
    )
    assert ropa is not None
    return redirect("privacy:ropa_edit", ropa_id=ropa.pk)


def _ropa(request: HttpRequest, ropa_id: int) -> Ropa:
    return or_404(sel.ropa_get, user=request.user, ropa_id=ropa_id)


def _version_context(
    request: HttpRequest, ropa: Ropa, version: RopaVersion | None
) -> dict[str, Any]:
    refusals = list(ropa.refusals.all())
    unit_id = ropa.activity.unit_id
    return {
        "ropa": ropa,
        "version": version,
        "versions": sel.ropa_versions(ropa),
        "published": sel.ropa_published(ropa),
        "working": sel.ropa_working(ropa),
        "doc": ropa_doc(ropa, version, refusals) if version else None,
        "missing": svc.ropa_missing_items(version=version) if version else {},
        "refusals": refusals,
        "can_edit": sel.can_edit_unit(request.user, unit_id),
        "can_approve": can_approve_for_unit(request.user, unit_id),
        "can_publish": svc.can_publish(request.user, unit_id),
        "can_refuse": is_privacy_team(request.user),
        "note_form": NoteForm(),
        "refusal_form": RefusalForm(),
    }


@readers
@require_GET
def ropa_detail(request: HttpRequest, ropa_id: int) -> HttpResponse:
    """The version being worked on (else the published one) with its completeness check."""
    ropa = _ropa(request, ropa_id)
    version = sel.ropa_working(ropa) or sel.ropa_published(ropa) or sel.ropa_latest(ropa)
    return render(
        request, "privacy/records/ropa_detail.html", _version_context(request, ropa, version)
    )


@readers
@require_GET
def ropa_version(request: HttpRequest, ropa_id: int, number: int) -> HttpResponse:
    ropa = _ropa(request, ropa_id)
    version = or_404(sel.ropa_version_get, ropa=ropa, number=number)
    return render(
        request, "privacy/records/ropa_detail.html", _version_context(request, ropa, version)
    )


def _office_name(activity: ProcessingActivity) -> str:
    unit: Unit | None = activity.unit
    while unit is not None and unit.kind != UnitKind.OFFICE:
        unit = unit.parent
    return unit.name if unit is not None else activity.unit.name


def _first_initial(ropa: Ropa) -> dict[str, Any]:
    """What a first version starts from: the inventory's items and retention, the office as
    controller with the DPO, and the headings of the security measures."""
    items = list(ropa.activity.data_items.all())
    dpo = get_user_model().objects.filter(is_active=True, memberships__role=Role.DPO).first()
    initial: dict[str, Any] = {"security_measures": SECURITY_TEMPLATE}
    if ropa.kind == RopaKind.CONTROLLER:
        initial["data_collected"] = "\n".join(
            f"{i.name}"
            + (f" ({i.category})" if i.category else "")
            + (" [ข้อมูลอ่อนไหว]" if i.sensitive else "")
            + f" ของ{i.data_subjects}"
            for i in items
        )
        initial["retention"] = "\n".join(
            f"{i.name}: {i.retention_text or f'{i.retention_months} เดือน'}" for i in items
        )
        initial["controller_name"] = _office_name(ropa.activity)
        if dpo is not None:
            initial["dpo_name"] = dpo.get_full_name() or dpo.username
            initial["dpo_contact"] = dpo.email
    else:
        initial["processor_name"] = _office_name(ropa.activity)
        if dpo is not None:
            initial["processor_dpo_name"] = dpo.get_full_name() or dpo.username
            initial["processor_dpo_contact"] = dpo.email
    return initial


@editors
@require_http_methods(["GET", "POST"])
def ropa_edit(request: HttpRequest, ropa_id: int) -> HttpResponse:
    """Edit the working version (or start the next one from the newest version)."""
    ropa = _ropa(request, ropa_id)
    if not sel.can_edit_unit(request.user, ropa.activity.unit_id):
        raise PermissionDenied
    base = sel.ropa_working(ropa) or sel.ropa_latest(ropa)
    initial, rows = ropa_initial(base)
    if base is None:
        initial = _first_initial(ropa)
    form = RopaForm(request.POST or None, kind=ropa.kind, initial=initial, rows=rows)
    if request.method == "POST" and form.is_valid():
        version = call(
            form, svc.ropa_draft_save, actor=request.user, ropa=ropa, data=form.service_data()
        )
        if version is not None:
            messages.success(request, _("บันทึกฉบับที่ %(n)s (ฉบับร่าง) แล้ว") % {"n": version.number})
            return redirect("privacy:ropa_detail", ropa_id=ropa.pk)
    status = 400 if request.method == "POST" else 200
    working = sel.ropa_working(ropa)
    return render(
        request,
        "privacy/records/ropa_edit.html",
        {"ropa": ropa, "form": form, "working": working, "base": base},
        status=status,
    )


ACTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "submit": (svc.ropa_submit, gettext_lazy("ส่งขออนุมัติแล้ว")),
    "approve": (svc.ropa_approve, gettext_lazy("อนุมัติแล้ว")),
    "return": (svc.ropa_return, gettext_lazy("ส่งกลับแก้ไขแล้ว")),
    "publish": (svc.ropa_publish, gettext_lazy("เผยแพร่แล้ว ฉบับก่อนหน้าถูกแทนที่")),
}


@readers
@require_POST
def ropa_action(request: HttpRequest, ropa_id: int, number: int, action: str) -> HttpResponse:
    """submit / approve / return / publish a version; each service checks who may."""
    ropa = _ropa(request, ropa_id)
    version = or_404(sel.ropa_version_get, ropa=ropa, number=number)
    if action not in ACTIONS:
        raise Http404(_("ไม่มีคำสั่งนี้"))
    service, success = ACTIONS[action]
    kwargs: dict[str, Any] = {"actor": request.user, "version": version}
    if action in {"approve", "return"}:
        form = NoteForm(request.POST)
        kwargs["note"] = form.cleaned_data["note"] if form.is_valid() else ""
    act(request, service, str(success), **kwargs)
    return redirect("privacy:ropa_version", ropa_id=ropa.pk, number=version.number)


@readers
@require_POST
def ropa_refusal_add(request: HttpRequest, ropa_id: int) -> HttpResponse:
    """A refusal received outside the platform (a letter, an objection by phone): the privacy
    team writes it into the RoPA."""
    ropa = _ropa(request, ropa_id)
    if not is_privacy_team(request.user):
        raise PermissionDenied
    form = RefusalForm(request.POST)
    if form.is_valid():
        act(
            request,
            svc.ropa_record_refusal,
            _("บันทึกการปฏิเสธลงในบันทึกแล้ว"),
            ropa=ropa,
            request=None,
            section=form.cleaned_data["section"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("privacy:ropa_detail", ropa_id=ropa.pk)


@readers
@require_GET
def ropa_document(request: HttpRequest, ropa_id: int, number: int, fmt: str) -> HttpResponse:
    ropa = _ropa(request, ropa_id)
    version = or_404(sel.ropa_version_get, ropa=ropa, number=number)
    if fmt not in FORMATS:
        raise Http404(_("ไม่มีเอกสารชนิดนี้"))
    doc = ropa_doc(ropa, version, list(ropa.refusals.all()))
    content = (
        ropa_docx([doc], title=doc.title) if fmt == "docx" else ropa_pdf([doc], title=doc.title)
    )
    return download(content, f"ropa-{ropa.pk}-v{version.number}.{fmt}", FORMATS[fmt])
