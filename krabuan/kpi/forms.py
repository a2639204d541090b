"""The result-entry form. It only collects what was typed and ticked: the result service checks
every rule (round inside the fiscal year, a number in Thai or Arabic digits, 0–100 for a
percentage, deliverables and steps of this KPI, the evidence file's size and type, evidence where
required) and its messages are shown next to the field they name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from krabuan.core.errors import ApplicationError
from krabuan.kpi.models import Deliverable, Kpi, KpiResult, Method, Milestone, MilestoneStep
from krabuan.kpi.scoring import round_key, round_label
from krabuan.workflow.services.records import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES


class UncheckedMultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes whose values the service checks (a foreign id gets the service's message
    naming the field, not a generic "invalid choice")."""

    def valid_value(self, value: Any) -> bool:
        return True


class ResultForm(forms.Form):
    round = forms.CharField(label=_("รอบ/เดือน"), max_length=20)
    value = forms.CharField(label=_("ผลการดำเนินงาน"), max_length=50, required=False)
    deliverables = UncheckedMultipleChoiceField(
        label=_("ผลผลิต/เงื่อนไขที่ดำเนินการแล้ว"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    milestone_steps = UncheckedMultipleChoiceField(
        label=_("ขั้นตอนการดำเนินงานที่ดำเนินการแล้ว"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("หมายเหตุ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(label=_("ไฟล์หลักฐาน"), required=False)

    def __init__(
        self,
        *args: Any,
        kpi: Kpi,
        round: str,
        round_choices: list[tuple[str, str]],
        earlier_deliverables: Iterable[int] = (),
        earlier_steps: Iterable[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.has_value = kpi.method != Method.DELIVERABLES and not kpi.live_source
        self.has_deliverables = kpi.method == Method.DELIVERABLES
        self.has_milestones = bool(kpi.milestones.all())
        round_field = self.fields["round"]
        round_field.widget = forms.Select(choices=round_choices, attrs={"class": "form-select"})
        round_field.error_messages["required"] = str(_("กรุณาเลือกรอบ/เดือน"))
        round_field.error_messages["max_length"] = str(_("รอบ/เดือนไม่ถูกต้อง"))

        value = self.fields["value"]
        unit = kpi.unit_label
        value.label = _("ผลการดำเนินงาน (%(unit)s)") % {"unit": unit} if unit else value.label
        value.help_text = _("พิมพ์เลขไทยหรือเลขอารบิกก็ได้ เช่น ๙๘.๕ หรือ 98.5")
        value.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "class": "form-control"}
        )
        value.error_messages["max_length"] = str(_("ผลการดำเนินงานยาวเกิน 50 ตัวอักษร"))

        earlier_d, earlier_s = set(earlier_deliverables), set(earlier_steps)
        deliverables: list[Deliverable] = list(kpi.deliverables.all())
        self._checkboxes("deliverables").choices = [
            (str(d.pk), _deliverable_label(d, d.pk in earlier_d)) for d in deliverables
        ]
        steps: list[tuple[str, MilestoneStep]] = [
            (m.round, s) for m in _open_milestones(kpi, round) for s in m.steps.all()
        ]
        self._checkboxes("milestone_steps").choices = [
            (str(s.pk), _step_label(r, s, s.pk in earlier_s)) for r, s in steps
        ]

        note = self.fields["note"]
        note.widget.attrs["class"] = "form-control"
        evidence = self.fields["evidence"]
        evidence.widget.attrs.update(
            {"class": "form-control", "accept": ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)}
        )
        evidence.help_text = _("ไม่เกิน %(mb)s MB ชนิดไฟล์ %(types)s") % {
            "mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            "types": ", ".join(ALLOWED_EXTENSIONS),
        }
        evidence.error_messages.update(
            {
                "invalid": str(_("ไฟล์หลักฐานไม่ถูกต้อง")),
                "missing": str(_("ไม่พบไฟล์หลักฐานที่ส่งมา")),
                "empty": str(_("ไฟล์หลักฐานว่างเปล่า")),
                "max_length": str(_("ชื่อไฟล์หลักฐานยาวเกินไป")),
                "contradiction": str(_("ไฟล์หลักฐานไม่ถูกต้อง")),
            }
        )
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                # Django's own check speaks English; the same check, naming the field in Thai.
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ]
                field.validators.append(
                    ProhibitNullCharactersValidator(
                        message=_("%(label)sมีอักขระที่ไม่อนุญาต (NUL)") % {"label": field.label}
                    )
                )
        for name in ("deliverables", "milestone_steps"):
            self.fields[name].error_messages["invalid_list"] = str(
                _("%(label)sต้องเป็นรายการ") % {"label": self.fields[name].label}
            )

    def _checkboxes(self, name: str) -> forms.MultipleChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.MultipleChoiceField)
        return field

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of result_record, untouched (the service parses them)."""
        data = self.cleaned_data
        return {
            "round": data["round"],
            "value": data.get("value") or None if self.has_value else None,
            "deliverables": data.get("deliverables") or [] if self.has_deliverables else None,
            "milestone_steps": data.get("milestone_steps") or []
            if self._checkboxes("milestone_steps").choices
            else None,
            "note": data.get("note") or "",
            "evidence": data.get("evidence") or None,
        }

    def apply_error(self, error: ApplicationError) -> None:
        """Show the service's refusal next to the field it names, else above the form."""
        if not error.fields:
            self.add_error(None, error.message)
            return
        for name, messages in error.fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _open_milestones(kpi: Kpi, round: str) -> list[Milestone]:
    """The milestones a result of this round can still complete: a step counts for a milestone
    only when marked in a result of that round or an earlier one (all, if the round is not
    understood yet; the service will say why)."""
    milestones = list(kpi.milestones.all())
    try:
        key = round_key(round)
    except ValueError:
        return milestones
    return [m for m in milestones if round_key(m.round) >= key]


def _deliverable_label(deliverable: Deliverable, earlier: bool) -> str:
    kind = (
        _("เงื่อนไข")
        if deliverable.points is None
        else _("%(p)s คะแนน") % {"p": _plain(deliverable.points)}
    )
    text = f"[{deliverable.level}] {deliverable.text} ({kind})"
    return f"{text} — {_('บันทึกแล้วในรอบก่อน')}" if earlier else text


def _step_label(round: str, step: MilestoneStep, earlier: bool) -> str:
    text = f"[{round_label(round)}] {step.text}"
    return f"{text} — {_('บันทึกแล้วในรอบก่อน')}" if earlier else text


def _plain(value: Any) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def result_initial(result: KpiResult | None, round: str) -> dict[str, Any]:
    """The form's values for a round: the stored result's, or just the round."""
    if result is None:
        return {"round": round}
    return {
        "round": round,
        "value": _plain(result.value) if result.value is not None else "",
        "deliverables": [str(d.pk) for d in result.deliverables_done.all()],
        "milestone_steps": [str(s.pk) for s in result.milestone_steps_done.all()],
        "note": result.note,
    }
