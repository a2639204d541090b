"""Attach domain records (a letter, a ticket, a breach report…) to cases by generic relation, so
domain apps can run their work as cases of the manual without the engine importing them."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from krabuan.core.audit import audit_record
from krabuan.core.errors import PermissionDenied
from krabuan.workflow.models import Case, CaseLink
from krabuan.workflow.permissions import can_work_on_steps


@transaction.atomic
def case_link_add(*, case: Case, target: models.Model, actor: Any) -> CaseLink:
    """Link a record to a case (once; a second call returns the same link)."""
    if actor is not None and not can_work_on_steps(actor):
        raise PermissionDenied("บทบาทของท่านไม่สามารถเชื่อมโยงข้อมูลกับเรื่องได้")
    link, created = CaseLink.objects.get_or_create(
        case=case,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
    )
    if created:
        audit_record(
            actor=actor,
            action="case.link",
            obj=case,
            changes={"target": f"{target._meta.label_lower}:{target.pk}", "repr": str(target)},
        )
    return link


def cases_linked_to(target: models.Model) -> models.QuerySet[Case]:
    """The cases a record is attached to."""
    return Case.objects.filter(
        links__content_type=ContentType.objects.get_for_model(target),
        links__object_id=str(target.pk),
    )
