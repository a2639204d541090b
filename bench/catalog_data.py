"""Catalog-scale data for the catalog benchmark: organizations, the seven area groups, tags,
`datasets` datasets with three resources each, bulk-inserted with the ORM (no services), then
indexed in bulk with `krabuan.catalog.search.index.index_datasets`.

Import only after django.setup(), on a migrated database. The titles, descriptions and tags are
made of plausible Thai agricultural words (commodity × measure × breakdown × Buddhist-era year,
some with an English subtitle, some years in Thai digits), so that Thai queries hit realistic
numbers of datasets: a commodity word matches a few percent of the catalog, "ข้าว" (rice, in
many compounds) far more. Shares: 10% private, 2% drafts, 1% deleted, 80% of the public ones
harvestable; formats CSV, XLSX, JSON, PDF, XLS, with one resource in twenty private."""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from krabuan.catalog.models import Dataset, Group, Organization, Resource, State, Tag
from krabuan.catalog.search.index import index_datasets

RESOURCES_PER_DATASET = 3
BATCH = 2000
DATA_START = dt.datetime(2019, 10, 1, tzinfo=dt.UTC)
DATA_NOW = dt.datetime(2024, 9, 30, 3, 0, tzinfo=dt.UTC)

COMMODITIES = (
    "ข้าวหอมมะลิ",
    "ข้าวเหนียว",
    "ข้าวนาปี",
    "ข้าวนาปรัง",
    "ข้าวโพดเลี้ยงสัตว์",
    "มันสำปะหลัง",
    "อ้อยโรงงาน",
    "ยางพารา",
    "ปาล์มน้ำมัน",
    "ทุเรียน",
    "มังคุด",
    "เงาะ",
    "ลำไย",
    "ลิ้นจี่",
    "มะม่วง",
    "สับปะรด",
    "กาแฟ",
    "ชา",
    "ถั่วเหลือง",
    "กุ้งขาวแวนนาไม",
    "ปลานิล",
    "โคเนื้อ",
    "สุกร",
    "ไก่เนื้อ",
    "ไข่ไก่",
    "น้ำนมดิบ",
    "หอมแดง",
    "กระเทียม",
    "พริก",
    "มะพร้าว",
)
ENGLISH = {
    "ข้าวหอมมะลิ": "Jasmine rice",
    "ข้าวเหนียว": "Glutinous rice",
    "ข้าวนาปี": "Major rice",
    "ข้าวนาปรัง": "Second rice",
    "ยางพารา": "Natural rubber",
    "ทุเรียน": "Durian",
    "มันสำปะหลัง": "Cassava",
    "ปาล์มน้ำมัน": "Oil palm",
    "กาแฟ": "Coffee",
    "มะพร้าว": "Coconut",
}
MEASURES = (
    "ราคา",
    "ราคาที่เกษตรกรขายได้",
    "ผลผลิต",
    "ผลผลิตต่อไร่",
    "พื้นที่เพาะปลูก",
    "พื้นที่เก็บเกี่ยว",
    "ต้นทุนการผลิต",
    "ปริมาณการส่งออก",
    "มูลค่าการส่งออก",
    "ปริมาณการนำเข้า",
    "สถิติการผลิต",
    "จำนวนครัวเรือนเกษตรกรผู้ปลูก",
    "พยากรณ์ผลผลิต",
    "ภาวะการผลิตและการตลาด",
)
BREAKDOWNS = ("รายจังหวัด", "รายเดือน", "รายปี", "รายอำเภอ", "รายภาค", "ทั้งประเทศ", "รายสัปดาห์")
PROVINCES = (
    "เชียงใหม่",
    "เชียงราย",
    "นครสวรรค์",
    "พิษณุโลก",
    "ขอนแก่น",
    "อุบลราชธานี",
    "นครราชสีมา",
    "สุรินทร์",
    "ร้อยเอ็ด",
    "สุพรรณบุรี",
    "ชัยนาท",
    "จันทบุรี",
    "ระยอง",
    "ชุมพร",
    "สุราษฎร์ธานี",
    "นครศรีธรรมราช",
    "สงขลา",
    "ตรัง",
    "ยะลา",
    "กาญจนบุรี",
)
SENTENCES = (
    "ข้อมูลจากการสำรวจภาวะการผลิตของเกษตรกรโดยเจ้าหน้าที่ภาคสนาม",
    "ปรับปรุงตามรอบการสำรวจ และตรวจสอบความถูกต้องก่อนเผยแพร่",
    "ใช้ประกอบการวางแผนการผลิตและการตลาดสินค้าเกษตรของประเทศ",
    "หน่วยเป็นบาทต่อกิโลกรัม ยกเว้นที่ระบุไว้เป็นอย่างอื่น",
    "จำแนกตามจังหวัดและช่วงเวลาการเก็บเกี่ยว",
    "ข้อมูลปีล่าสุดเป็นตัวเลขเบื้องต้น อาจมีการปรับแก้ในรอบถัดไป",
    "Source: field survey of the Office of Agricultural Economics.",
    "รวบรวมจากรายงานของสำนักงานเกษตรจังหวัดและสหกรณ์การเกษตร",
)
ORGANIZATIONS = (
    ("oae", "สำนักงานเศรษฐกิจการเกษตร"), ("doae", "กรมส่งเสริมการเกษตร"),
    ("rice", "กรมการข้าว"), ("doa", "กรมวิชาการเกษตร"), ("dld", "กรมปศุสัตว์"),
    ("fisheries", "กรมประมง"), ("rid", "กรมชลประทาน"), ("ldd", "กรมพัฒนาที่ดิน"),
    ("cpd", "กรมส่งเสริมสหกรณ์"), ("alro", "สำนักงานการปฏิรูปที่ดินเพื่อเกษตรกรรม"),
    ("acfs", "สำนักงานมาตรฐานสินค้าเกษตรและอาหารแห่งชาติ"), ("raot", "การยางแห่งประเทศไทย"),
    ("ict", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"), ("nso", "สำนักงานสถิติแห่งชาติ (ร่วม)"),
    ("moac-central", "สำนักงานปลัดกระทรวงเกษตรและสหกรณ์"), ("pvd", "สำนักงานเกษตรจังหวัด"),
    ("oae-r1", "สำนักงานเศรษฐกิจการเกษตรที่ 1"), ("oae-r2", "สำนักงานเศรษฐกิจการเกษตรที่ 2"),
    ("oae-r3", "สำนักงานเศรษฐกิจการเกษตรที่ 3"), ("oae-r4", "สำนักงานเศรษฐกิจการเกษตรที่ 4"),
)  # fmt: skip
GROUPS = (
    ("category01", "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ"), ("category02", "ประเด็นการพัฒนา"),
    ("category03", "ด้านกายภาพ"), ("category04", "ด้านเศรษฐกิจ"),
    ("category05", "ด้านสังคมและความมั่นคง"), ("category06", "ด้านทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ("category07", "อื่น ๆ"),
)  # fmt: skip
DATA_TYPES = (
    ("ข้อมูลสถิติ", 6), ("ข้อมูลระเบียน", 2), ("ข้อมูลภูมิสารสนเทศเชิงพื้นที่", 1),
    ("ข้อมูลหลากหลายประเภท", 1),
)  # fmt: skip
LICENSES = (
    "Open Data Common",
    "Creative Commons Attributions",
    "Creative Commons Attribution Share-Alike",
)
FORMATS = (("CSV", 5), ("XLSX", 3), ("JSON", 2), ("PDF", 2), ("XLS", 1))
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@dataclass
class Generated:
    datasets: int = 0
    resources: int = 0
    public_harvestable: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "datasets": self.datasets,
            "resources": self.resources,
            "public_harvestable": self.public_harvestable,
            "seconds": round(self.seconds, 1),
            "index_seconds": round(self.index_seconds, 1),
        }


def _weighted(rng: random.Random, items: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([i for i, _w in items], weights=[w for _i, w in items])[0]


def _dataset(rng: random.Random, serial: int, orgs: list[Organization]) -> Dataset:
    commodity, measure = rng.choice(COMMODITIES), rng.choice(MEASURES)
    year = str(rng.randint(2560, 2567))
    shown_year = year.translate(THAI_DIGITS) if rng.random() < 0.2 else year
    title = f"{measure}{commodity}{rng.choice(BREAKDOWNS)} ปี {shown_year}"
    if rng.random() < 0.3:
        title += f" จังหวัด{rng.choice(PROVINCES)}"
    if commodity in ENGLISH and rng.random() < 0.3:
        kind = "price" if measure == "ราคา" else "statistics"
        title += f" ({ENGLISH[commodity]} {kind})"
    title += f" ชุดที่ {serial}"
    notes = " ".join(
        [f"{measure}{commodity}", *rng.sample(SENTENCES, rng.randint(2, 4)), f"ปี {year}"]
    )
    modified = DATA_START + (DATA_NOW - DATA_START) * rng.random()
    roll = rng.random()
    state = State.DELETED if roll < 0.01 else State.DRAFT if roll < 0.03 else State.ACTIVE
    private = rng.random() < 0.10
    org = rng.choice(orgs)
    return Dataset(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        name=f"{org.name}-{serial:06d}",
        title=title,
        owner_org=org,
        state=state,
        private=private,
        data_type=_weighted(rng, DATA_TYPES),
        maintainer="กลุ่มสารสนเทศ",
        maintainer_email="data@example.go.th",
        notes=notes,
        objective=["พันธกิจหน่วยงาน"],
        update_frequency_unit=rng.choice(("ปี", "เดือน", "ไตรมาส")),
        update_frequency_interval="1",
        geo_coverage=rng.choice(("ประเทศ", "จังหวัด", "ภาค")),
        data_source="สำนักงานเศรษฐกิจการเกษตร",
        data_format=["CSV"],
        data_category="ข้อมูลสาธารณะ" if not private else "ข้อมูลใช้ภายใน",
        data_classification="เปิดเผย" if not private else "ชั้นเผยแพร่ภายในองค์กร",
        license_id=rng.choice(LICENSES),
        accessible_condition="ไม่มี",
        allow_harvest=not private and rng.random() < 0.8,
        metadata_created=modified - dt.timedelta(days=rng.randint(0, 400)),
        metadata_modified=modified,
        view_count=rng.randint(0, 500),
    )


def generate(
    *, datasets: int, seed: int, progress: Callable[[str], None] = lambda _m: None
) -> Generated:
    """Fill the catalog; returns what was made."""
    began = time.perf_counter()
    rng = random.Random(seed)
    out = Generated()
    with transaction.atomic():
        orgs = [Organization.objects.create(name=n, title=t) for n, t in ORGANIZATIONS]
        groups = [Group.objects.create(name=n, title=t, category=n) for n, t in GROUPS]
        words = sorted({*COMMODITIES, *(m for m in MEASURES if len(m) < 12), *PROVINCES})
        tags = Tag.objects.bulk_create([Tag(name=w) for w in words])
    tag_by_name = {t.name: t for t in tags}
    TagLink, GroupLink = Dataset.tags.through, Dataset.groups.through
    ids: list[uuid.UUID] = []
    for start in range(0, datasets, BATCH):
        rows = [_dataset(rng, start + i + 1, orgs) for i in range(min(BATCH, datasets - start))]
        resources, tag_links, group_links = [], [], []
        for d in rows:
            chosen = {w for w in words if w in d.title}
            chosen |= set(rng.sample(words, rng.randint(1, 3)))
            tag_links += [TagLink(dataset_id=d.pk, tag_id=tag_by_name[w].pk) for w in chosen]
            group_links += [
                GroupLink(dataset_id=d.pk, group_id=g.pk)
                for g in rng.sample(groups, rng.randint(1, 2))
            ]
            for position in range(RESOURCES_PER_DATASET):
                fmt = _weighted(rng, FORMATS)
                resources.append(
                    Resource(
                        dataset_id=d.pk,
                        position=position,
                        name=f"{d.title[:60]} ({fmt})",
                        url=f"https://data.example.go.th/{d.name}/{position}.{fmt.lower()}",
                        format=fmt,
                        resource_private=rng.random() < 0.05,
                        created=d.metadata_created,
                        metadata_modified=d.metadata_modified,
                    )
                )
            if d.state == State.ACTIVE and not d.private and d.allow_harvest:
                out.public_harvestable += 1
        with transaction.atomic():
            Dataset.objects.bulk_create(rows)
            Resource.objects.bulk_create(resources)
            TagLink.objects.bulk_create(tag_links)
            GroupLink.objects.bulk_create(group_links)
        ids += [d.pk for d in rows]
        out.datasets += len(rows)
        out.resources += len(resources)
        progress(f"  inserted {out.datasets:,} datasets, {out.resources:,} resources")
    indexed_at = time.perf_counter()
    for start in range(0, len(ids), 5000):
        index_datasets(ids[start : start + 5000])
        progress(f"  indexed {min(start + 5000, len(ids)):,} datasets")
    out.index_seconds = time.perf_counter() - indexed_at
    out.seconds = time.perf_counter() - began
    return out
