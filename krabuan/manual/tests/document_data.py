"""A process filled in like the seed's form 1, for the flowchart and document tests."""

from __future__ import annotations

from krabuan.manual.models import (
    ControlKind,
    ImprovementEntry,
    Manual,
    Owner,
    OwnerKind,
    Process,
    ProcessKind,
    Requirement,
    RequirementHeading,
    ValueChainStage,
)
from krabuan.manual.tests.factories import (
    ManualFactory,
    ProcessFactory,
    StepControlFactory,
    StepFactory,
)
from krabuan.org.models import Position
from krabuan.org.tests.factories import PositionFactory, UnitFactory

PROCESS_NAME = "การทบทวนแผนปฏิบัติการดิจิทัลของกระทรวงเกษตรและสหกรณ์"
STEP_ACTIVITIES = (
    "ประชุมชี้แจง ทำความเข้าใจ การทบทวนแผนปฏิบัติการดิจิทัล",
    "วิเคราะห์ปัญหา/อุปสรรค และพร้อมกำหนดแนวทางการแก้ไข",
    "เสนอผู้อำนวยการพิจารณาให้ความเห็นชอบแผนปฏิบัติการดิจิทัล ฉบับทบทวนใหม่",
    "สรุปและประเมินผลการดำเนินงาน",
)
STEP_DURATIONS = ("1 วัน", "๗ วัน", "๑-๒ วันทำการ", "๓ วัน")
CONTROL_TEXT = "แนวทางการแก้ไขที่สอดคล้องกับบริบทรอบข้าง"
RISK_TEXT = "ผู้บริหารไม่อยู่ปฏิบัติราชการ ทำให้การพิจารณาล่าช้า"
QUALITY = "การขับเคลื่อนแผนปฏิบัติการสามารถดำเนินการได้อย่างต่อเนื่อง ร้อยละ 90"
MAIN_POSITION = "หัวหน้ากลุ่มยุทธศาสตร์เทคโนโลยีสารสนเทศ"
SUPPORTING_POSITION = "นักวิเคราะห์นโยบายและแผนชำนาญการ"


def full_process(
    *,
    number: int = 1,
    kind: str = ProcessKind.CORE,
    name: str = PROCESS_NAME,
    manual: Manual | None = None,
) -> Process:
    """A process with every section of the form: requirements, value chain, four steps (one a
    decision) with control points and a risk, a quality standard and owners."""
    group = UnitFactory(code="strategy", name="กลุ่มยุทธศาสตร์เทคโนโลยีสารสนเทศ", short_name="กยส.")
    process = ProcessFactory(
        manual=manual or ManualFactory(),
        kind=kind,
        number=number,
        name=name,
        authority="จัดทำแผนแม่บทและแผนปฏิบัติการเทคโนโลยีสารสนเทศและการสื่อสาร",
        customers="หน่วยงานด้าน IT ในสังกัด กษ",
        outputs="1. แผนปฏิบัติการดิจิทัล 2. รายงานผลการทบทวน",
        responsible_unit=group,
        quality_standard=QUALITY,
    )
    for i, heading in enumerate(RequirementHeading):
        Requirement.objects.create(
            process=process,
            heading=heading,
            sort_order=i,
            detail=(
                "1. มติคณะรัฐมนตรี เมื่อวันที่ 26 พฤศจิกายน 2561 2. แผนพัฒนารัฐบาลดิจิทัล"
                if heading == RequirementHeading.LAWS
                else f"รายละเอียด{heading.label}"
            ),
            priority=i + 1,
        )
    for stage, (activities, step_range) in enumerate(
        [
            ("1. ประชุมชี้แจง", "1"),
            ("2. วิเคราะห์ปัญหา", "2"),
            ("3. เสนอพิจารณา", "3"),
            ("ติดตามผล", ""),
            ("4. สรุปผล", "4"),
        ],
        start=1,
    ):
        ValueChainStage.objects.create(
            process=process, stage=stage, activities=activities, step_range=step_range
        )
    steps = [
        StepFactory(
            process=process,
            order=i,
            label=str(i),
            activity=activity,
            duration_text=STEP_DURATIONS[i - 1],
            units_text="ศทส. สป.กษ.",
        )
        for i, activity in enumerate(STEP_ACTIVITIES, start=1)
    ]
    steps[1].sub_items = ["รวบรวมข้อมูลปีงบประมาณ 2566", "จัดประชุมคณะทำงาน"]
    steps[1].save()
    StepControlFactory(step=steps[1], kind=ControlKind.CONTROL, text=CONTROL_TEXT)
    StepControlFactory(step=steps[2], kind=ControlKind.RISK, text=RISK_TEXT)
    StepControlFactory(step=steps[2], kind=ControlKind.CONTROL, text="ตรวจสอบเอกสารก่อนเสนอ")
    position = Position.objects.filter(title=MAIN_POSITION, unit=group).first()
    Owner.objects.create(
        process=process,
        kind=OwnerKind.MAIN,
        position=position or PositionFactory(title=MAIN_POSITION, unit=group),
    )
    Owner.objects.create(process=process, kind=OwnerKind.SUPPORTING, title=SUPPORTING_POSITION)
    return process


def improvement_entries(manual: Manual) -> list[ImprovementEntry]:
    """Two summary rows like the seed's: one details change, one new process."""
    return [
        ImprovementEntry.objects.create(
            manual=manual,
            process_code="C05",
            process_name="การพัฒนาระบบสารสนเทศ",
            responsible_unit_text="กลุ่มระบบงานสารสนเทศและภูมิสารสนเทศ",
            details_changed=True,
            explanation="เพิ่ม พรบ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562",
            sort_order=0,
        ),
        ImprovementEntry.objects.create(
            manual=manual,
            process_code="C15",
            process_name="การคุ้มครองข้อมูลส่วนบุคคล ของ สป.กษ.",
            responsible_unit_text="กลุ่มบริหารข้อมูลการเกษตร",
            process_added=True,
            technology_added=True,
            explanation="เพิ่มรายละเอียดการวิเคราะห์กระบวนงานใหม่",
            sort_order=1,
        ),
    ]
