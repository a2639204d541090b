from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from krabuan.kpi.models import (
    Agreement,
    AssessmentGroup,
    Deliverable,
    Kpi,
    Method,
    Milestone,
    MilestoneStep,
)
from krabuan.org.models import UnitKind
from krabuan.org.tests.factories import UnitFactory


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        django_get_or_create = ("unit", "fiscal_year")  # one agreement per unit and year

    fiscal_year = 2566
    unit = factory.SubFactory(
        UnitFactory,
        code="ict",
        name="ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
        short_name="ศทส.",
        kind=UnitKind.DIVISION,
    )
    title = "คำรับรองการปฏิบัติราชการ ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"
    period_start = factory.LazyAttribute(lambda o: dt.date(o.fiscal_year - 544, 10, 1))
    period_end = factory.LazyAttribute(lambda o: dt.date(o.fiscal_year - 543, 9, 30))


class AssessmentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentGroup

    agreement = factory.SubFactory(AgreementFactory)
    code = factory.Sequence(lambda n: f"group-{n}")
    name = "การประเมินประสิทธิภาพการดำเนินงาน (Performance Base)"
    weight = Decimal(70)


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi

    agreement = factory.SubFactory(AgreementFactory)
    group = factory.SubFactory(
        AssessmentGroupFactory, agreement=factory.SelfAttribute("..agreement")
    )
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"ตัวชี้วัดทดสอบ {n}")
    weight = Decimal(15)
    unit_label = "ร้อยละ"
    method = Method.INTERPOLATION
    level_basic = Decimal(95)
    level_standard = Decimal("97.5")
    level_advanced = Decimal(100)
    evidence_required = False


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    kpi = factory.SubFactory(KpiFactory)
    round = "6m"


class MilestoneStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MilestoneStep

    milestone = factory.SubFactory(MilestoneFactory)
    text = factory.Sequence(lambda n: f"ขั้นตอนที่ {n}")
    sort_order = factory.Sequence(lambda n: n)


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    kpi = factory.SubFactory(KpiFactory, method=Method.DELIVERABLES, unit_label="คะแนน")
    level = 50
    text = factory.Sequence(lambda n: f"ผลผลิตที่ {n}")
    points = Decimal(50)
    sort_order = factory.Sequence(lambda n: n)
