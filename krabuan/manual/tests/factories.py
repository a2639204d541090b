from __future__ import annotations

import factory

from krabuan.manual.models import (
    ControlKind,
    DurationStatus,
    Manual,
    Process,
    ProcessKind,
    Step,
    StepControl,
)
from krabuan.org.tests.factories import UnitFactory


class ManualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manual

    fiscal_year = 2567
    unit = factory.SubFactory(UnitFactory, code="ict", name="ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร")
    title = "คู่มือกระบวนงานของศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    manual = factory.SubFactory(ManualFactory)
    kind = ProcessKind.CORE
    number = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"{'C' if o.kind == 'core' else 'S'}{o.number:02d}")
    name = factory.Sequence(lambda n: f"กระบวนงานทดสอบ {n}")
    quality_standard = "ร้อยละ ๙๐ ของขั้นตอนแล้วเสร็จตามระยะเวลาที่กำหนด"


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    process = factory.SubFactory(ProcessFactory)
    order = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda o: str(o.order))
    activity = factory.Sequence(lambda n: f"ขั้นตอนทดสอบที่ {n}")
    duration_text = "๑ วัน"
    duration = factory.LazyFunction(
        lambda: {"text": "๑ วัน", "min": 1, "max": 1, "unit": "day", "status": "parsed"}
    )
    duration_status = DurationStatus.PARSED


class StepControlFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepControl

    step = factory.SubFactory(StepFactory)
    kind = ControlKind.CONTROL
    text = "ตรวจสอบความถูกต้อง"
