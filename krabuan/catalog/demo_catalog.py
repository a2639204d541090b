"""Demo content of the catalog: the division's organizations, the seven area groups and a dozen
invented agricultural datasets, all marked "ข้อมูลตัวอย่าง (demo)". Files are generated here
(small, deterministic, without personal data) and stored through the resource service."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from krabuan.catalog import schema

DEMO_NOTE = "ข้อมูลตัวอย่าง (demo)"
DEMO_SUFFIX = " (ข้อมูลตัวอย่าง)"
ORG_UNITS = ["ict", "ict-strategy", "ict-systems", "ict-network", "ict-data", "ict-admin"]
PROVINCES = [
    ("สุรินทร์", "อีสาน"),
    ("บุรีรัมย์", "อีสาน"),
    ("ร้อยเอ็ด", "อีสาน"),
    ("อุบลราชธานี", "อีสาน"),
    ("นครราชสีมา", "อีสาน"),
    ("สุพรรณบุรี", "กลาง"),
    ("พระนครศรีอยุธยา", "กลาง"),
    ("เชียงราย", "เหนือ"),
    ("พิษณุโลก", "เหนือ"),
    ("นครศรีธรรมราช", "ใต้"),
]
MONTHS = [f"2567-{m:02d}" for m in range(1, 13)]


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _rng(seed: str) -> random.Random:
    return random.Random(seed)  # noqa: S311 - demo numbers, the same on every machine


def rice_production() -> bytes:
    r = _rng("rice")
    rows = []
    for province, region in PROVINCES:
        area = r.randint(800_000, 3_200_000)
        yield_kg = r.randint(330, 480)
        rows.append([province, region, area, round(area * yield_kg / 1000), yield_kg])
    return _csv(["จังหวัด", "ภาค", "เนื้อที่เพาะปลูก_ไร่", "ผลผลิต_ตัน", "ผลผลิตต่อไร่_กก"], rows)


def jasmine_price_csv() -> bytes:
    r = _rng("jasmine")
    return _csv(
        ["เดือน", "ราคาข้าวเปลือกหอมมะลิ_บาทต่อตัน", "ราคาข้าวเปลือกเจ้า_บาทต่อตัน"],
        [[m, r.randint(13_500, 16_500), r.randint(8_500, 11_000)] for m in MONTHS],
    )


def jasmine_price_json() -> bytes:
    r = _rng("jasmine-json")
    data = [{"month": m, "price_baht_per_ton": r.randint(13_500, 16_500)} for m in MONTHS]
    return json.dumps({"unit": "บาท/ตัน", "data": data}, ensure_ascii=False, indent=1).encode()


def cassava_production() -> bytes:
    r = _rng("cassava")
    rows = [[p, r.randint(150_000, 1_100_000), r.randint(2_800, 3_900)] for p, _ in PROVINCES[:7]]
    return _csv(["จังหวัด", "ผลผลิตมันสำปะหลัง_ตัน", "ผลผลิตต่อไร่_กก"], rows)


def weather_stations_csv() -> bytes:
    r = _rng("stations")
    rows = [
        [f"AGM{i:03d}", p, round(r.uniform(13.0, 19.5), 4), round(r.uniform(99.0, 104.5), 4)]
        for i, (p, _) in enumerate(PROVINCES, 1)
    ]
    return _csv(["รหัสสถานี", "จังหวัด", "ละติจูด", "ลองจิจูด"], rows)


def weather_stations_geojson() -> bytes:
    r = _rng("stations")
    features = [
        {
            "type": "Feature",
            "properties": {"station": f"AGM{i:03d}", "province": p},
            "geometry": {
                "type": "Point",
                "coordinates": [round(r.uniform(99.0, 104.5), 4), round(r.uniform(13.0, 19.5), 4)],
            },
        }
        for i, (p, _) in enumerate(PROVINCES, 1)
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode()


def reservoirs_json() -> bytes:
    r = _rng("reservoirs")
    names = ["เขื่อนภูมิพล", "เขื่อนสิริกิติ์", "เขื่อนป่าสักชลสิทธิ์", "เขื่อนอุบลรัตน์", "เขื่อนลำตะคอง"]
    data = [
        {"reservoir": n, "week": f"2567-W{w:02d}", "storage_percent": r.randint(35, 92)}
        for n in names
        for w in (1, 2, 3, 4)
    ]
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def cooperatives_csv() -> bytes:
    r = _rng("coops")
    rows = [[p, r.randint(40, 260), r.randint(6_000, 48_000)] for p, _ in PROVINCES]
    return _csv(["จังหวัด", "จำนวนสหกรณ์การเกษตร", "จำนวนสมาชิกรวม"], rows)


def eservice_csv() -> bytes:
    r = _rng("eservice")
    return _csv(
        ["เดือน", "จำนวนผู้ใช้บริการ", "จำนวนคำขอ", "ร้อยละความพึงพอใจ"],
        [[m, r.randint(1_200, 5_400), r.randint(900, 4_100), r.randint(82, 96)] for m in MONTHS],
    )


def farmer_summary_csv() -> bytes:
    r = _rng("farmers")
    rows = [[p, r.randint(40_000, 210_000), r.randint(250_000, 1_900_000)] for p, _ in PROVINCES]
    return _csv(["จังหวัด", "จำนวนครัวเรือนเกษตรกร", "เนื้อที่ถือครอง_ไร่"], rows)


def disaster_csv() -> bytes:
    r = _rng("disaster")
    rows = [[p, r.choice(["อุทกภัย", "ภัยแล้ง"]), r.randint(1_000, 90_000)] for p, _ in PROVINCES]
    return _csv(["จังหวัด", "ประเภทภัย", "พื้นที่ได้รับผลกระทบ_ไร่"], rows)


@dataclass(frozen=True)
class DemoFile:
    filename: str
    name: str
    description: str
    content: Callable[[], bytes]
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoDataset:
    name: str
    title: str
    org: str
    data_type: str
    notes: str
    tags: list[str]
    groups: list[str]
    open: bool
    files: list[DemoFile] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    state: str = "active"


_STAT_RES = {
    "resource_first_year_of_data": "2563",
    "resource_last_year_of_data": "2567",
    "resource_unit_of_multiplier": "หน่วย",
}
_STAT = {
    "first_year_of_data": "2563",
    "last_year_of_data": "2567",
    "disaggregate": ["ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"],
    "unit_of_multiplier": "หน่วย",
    "official_statistics": False,
}

DATASETS: list[DemoDataset] = [
    DemoDataset(
        "demo-rice-production-province",
        "สถิติเนื้อที่เพาะปลูกและผลผลิตข้าวนาปีรายจังหวัด",
        "ict-data",
        schema.STAT,
        "เนื้อที่เพาะปลูก ผลผลิต และผลผลิตต่อไร่ของข้าวนาปี จำแนกรายจังหวัด",
        ["ข้าว", "ข้าวนาปี", "สถิติการเกษตร"],
        ["category04"],
        True,
        [
            DemoFile(
                "rice_production_2567.csv",
                "ผลผลิตข้าวนาปี ปี 2567",
                "ตารางรายจังหวัด (CSV, UTF-8)",
                rice_production,
                _STAT_RES,
            )
        ],
        extra=_STAT | {"unit_of_measure": "ไร่, ตัน"},
    ),
    DemoDataset(
        "demo-jasmine-rice-price",
        "ราคาข้าวหอมมะลิที่เกษตรกรขายได้ รายเดือน",
        "ict-data",
        schema.STAT,
        "ราคาข้าวเปลือกหอมมะลิและข้าวเปลือกเจ้าที่เกษตรกรขายได้ ณ ไร่นา เฉลี่ยรายเดือน",
        ["ข้าว", "ข้าวหอมมะลิ", "ราคาสินค้าเกษตร", "สถิติการเกษตร"],
        ["category04", "category02"],
        True,
        [
            DemoFile(
                "jasmine_price_2567.csv",
                "ราคารายเดือน (CSV)",
                "ราคาเฉลี่ยรายเดือน บาทต่อตัน",
                jasmine_price_csv,
                _STAT_RES,
            ),
            DemoFile(
                "jasmine_price_2567.json",
                "ราคารายเดือน (JSON)",
                "ข้อมูลชุดเดียวกันในรูปแบบ JSON",
                jasmine_price_json,
                _STAT_RES,
            ),
        ],
        extra=_STAT | {"unit_of_measure": "บาท/ตัน", "disaggregate": ["ผลิตภัณฑ์"]},
    ),
    DemoDataset(
        "demo-cassava-production",
        "สถิติผลผลิตมันสำปะหลังรายจังหวัด",
        "ict-data",
        schema.STAT,
        "ปริมาณผลผลิตและผลผลิตต่อไร่ของมันสำปะหลัง ปีการผลิต 2567",
        ["มันสำปะหลัง", "พืชไร่", "สถิติการเกษตร"],
        ["category04"],
        True,
        [
            DemoFile(
                "cassava_2567.csv",
                "ผลผลิตมันสำปะหลัง ปี 2567",
                "ตารางรายจังหวัด (CSV)",
                cassava_production,
                _STAT_RES,
            )
        ],
        extra=_STAT | {"unit_of_measure": "ตัน"},
    ),
    DemoDataset(
        "demo-agri-weather-stations",
        "ที่ตั้งสถานีตรวจวัดสภาพอากาศเพื่อการเกษตร",
        "ict-systems",
        schema.GIS,
        "พิกัดสถานีตรวจวัดสภาพอากาศเพื่อการเกษตรที่เชื่อมข้อมูลกับศูนย์ข้อมูลเกษตร",
        ["สภาพอากาศ", "ภูมิสารสนเทศ", "สถานีตรวจวัด"],
        ["category06", "category03"],
        True,
        [
            DemoFile(
                "weather_stations.csv",
                "รายการสถานี (CSV)",
                "รหัสสถานี จังหวัด และพิกัด",
                weather_stations_csv,
                {"resource_equivalent_scale": "1:50,000"},
            ),
            DemoFile(
                "weather_stations.geojson",
                "ตำแหน่งสถานี (GeoJSON)",
                "จุดที่ตั้งสถานี WGS84",
                weather_stations_geojson,
                {"resource_equivalent_scale": "1:50,000"},
            ),
        ],
        extra={
            "geographic_data_set": "ชั้นข้อมูลอุทกศาสตร์",
            "equivalent_scale": "1:50,000",
            "west_bound_longitude": "97.3",
            "east_bound_longitude": "105.7",
            "north_bound_longitude": "20.5",
            "south_bound_longitude": "5.6",
            "positional_accuracy": "±10 เมตร",
        },
    ),
    DemoDataset(
        "demo-reservoir-storage-weekly",
        "ปริมาณน้ำกักเก็บในเขื่อนขนาดใหญ่ รายสัปดาห์",
        "ict-systems",
        schema.RECORD,
        "ร้อยละของปริมาณน้ำกักเก็บในเขื่อนขนาดใหญ่ที่ใช้วางแผนการเพาะปลูก",
        ["น้ำ", "ชลประทาน", "เขื่อน"],
        ["category06"],
        True,
        [
            DemoFile(
                "reservoir_storage_2567.json",
                "ปริมาณน้ำรายสัปดาห์ (JSON)",
                "ร้อยละความจุ รายเขื่อน รายสัปดาห์",
                reservoirs_json,
                {"resource_data_collect": "แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ"},
            )
        ],
        extra={"data_collect": "แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ", "data_support": "หน่วยงานของรัฐ"},
    ),
    DemoDataset(
        "demo-agri-cooperatives-province",
        "จำนวนสหกรณ์การเกษตรและสมาชิกรายจังหวัด",
        "ict-data",
        schema.RECORD,
        "จำนวนสหกรณ์การเกษตรและจำนวนสมาชิกรวม สรุปรายจังหวัด (ไม่มีรายชื่อบุคคล)",
        ["สหกรณ์", "สถิติการเกษตร"],
        ["category04", "category05"],
        True,
        [
            DemoFile(
                "cooperatives_2567.csv",
                "สหกรณ์รายจังหวัด (CSV)",
                "จำนวนสหกรณ์และสมาชิก",
                cooperatives_csv,
                {"resource_data_collect": "บริษัท/ห้างร้าน/สถานประกอบการ"},
            )
        ],
        extra={"data_collect": "บริษัท/ห้างร้าน/สถานประกอบการ", "high_value_dataset": True},
    ),
    DemoDataset(
        "demo-eservice-usage",
        "สถิติการใช้บริการระบบบริการอิเล็กทรอนิกส์ของ สป.กษ.",
        "ict-strategy",
        schema.STAT,
        "จำนวนผู้ใช้บริการ จำนวนคำขอ และความพึงพอใจต่อระบบ e-Service รายเดือน",
        ["บริการอิเล็กทรอนิกส์", "e-Service", "สถิติ"],
        ["category02"],
        True,
        [
            DemoFile(
                "eservice_2567.csv",
                "การใช้บริการรายเดือน (CSV)",
                "สรุปรายเดือน ปี 2567",
                eservice_csv,
                _STAT_RES,
            )
        ],
        extra=_STAT | {"unit_of_measure": "ครั้ง, ร้อยละ"},
    ),
    DemoDataset(
        "demo-farmer-households-summary",
        "สรุปจำนวนครัวเรือนเกษตรกรและเนื้อที่ถือครองรายจังหวัด",
        "ict-data",
        schema.STAT,
        "สรุปจากทะเบียนเกษตรกร (เฉพาะจำนวนรวม) ใช้ภายในเพื่อวางแผน",
        ["เกษตรกร", "ทะเบียนเกษตรกร", "สถิติการเกษตร"],
        ["category05"],
        False,
        [
            DemoFile(
                "farmer_households_2567.csv",
                "สรุปรายจังหวัด (CSV)",
                "จำนวนครัวเรือนและเนื้อที่ถือครอง",
                farmer_summary_csv,
                _STAT_RES,
            )
        ],
        extra=_STAT | {"unit_of_measure": "ครัวเรือน, ไร่"},
    ),
    DemoDataset(
        "demo-agri-disaster-areas",
        "พื้นที่การเกษตรที่ได้รับผลกระทบจากภัยพิบัติ",
        "ict-data",
        schema.MULTI,
        "พื้นที่การเกษตรที่ได้รับผลกระทบจากอุทกภัยและภัยแล้ง สรุปรายจังหวัด",
        ["ภัยพิบัติ", "อุทกภัย", "ภัยแล้ง"],
        ["category05", "category06"],
        False,
        [
            DemoFile(
                "disaster_areas_2567.csv",
                "พื้นที่ได้รับผลกระทบ (CSV)",
                "สรุปรายจังหวัด",
                disaster_csv,
                {"resource_data_collect": "พื้นที่การเกษตร ประมง ป่าไม้"},
            )
        ],
        extra={"data_collect": "พื้นที่การเกษตร ประมง ป่าไม้"},
    ),
    DemoDataset(
        "demo-agri-land-use-map",
        "ชั้นข้อมูลการใช้ประโยชน์ที่ดินเพื่อการเกษตร",
        "ict-systems",
        schema.GIS,
        "ชั้นข้อมูลแผนที่การใช้ประโยชน์ที่ดินเพื่อการเกษตร ให้บริการผ่าน WMS ภายในกระทรวง",
        ["การใช้ที่ดิน", "ภูมิสารสนเทศ", "แผนที่"],
        ["category03"],
        False,
        links=[
            {
                "name": "บริการแผนที่ (WMS)",
                "description": "บริการแผนที่ภายในกระทรวง",
                "url": "https://gis.example.go.th/wms",
                "format": "WMS",
            }
        ],
        extra={"geographic_data_set": "ชั้นข้อมูลการใช้ประโยชน์ที่ดิน", "equivalent_scale": "1:25,000"},
    ),
    DemoDataset(
        "demo-ict-equipment",
        "ข้อมูลครุภัณฑ์คอมพิวเตอร์ของ ศทส.",
        "ict-network",
        schema.RECORD,
        "รายการครุภัณฑ์คอมพิวเตอร์และอุปกรณ์เครือข่าย ใช้ภายในเพื่อวางแผนจัดหาทดแทน",
        ["ครุภัณฑ์", "คอมพิวเตอร์"],
        ["category07"],
        False,
        links=[
            {
                "name": "ทะเบียนครุภัณฑ์ (ระบบภายใน)",
                "description": "เข้าถึงผ่านระบบภายในเท่านั้น",
                "url": "https://intranet.example.go.th/assets",
                "format": "XLSX",
            }
        ],
        extra={"data_collect": "ไม่มี"},
    ),
    DemoDataset(
        "demo-helpdesk-statistics",
        "สถิติการให้บริการแจ้งปัญหาระบบคอมพิวเตอร์",
        "ict-network",
        schema.OTHER_TYPE,
        "จำนวนเรื่องที่แจ้งปัญหาและระยะเวลาแก้ไข (ฉบับร่าง ยังไม่ครบ)",
        ["บริการ", "คอมพิวเตอร์"],
        ["category07"],
        False,
        extra={"data_collect": "ไม่มี"},
        state="draft",
    ),
]


def dataset_payload(spec: DemoDataset, *, org_name: str, last_updated: str) -> dict[str, Any]:
    """The package dict of one demo dataset (private; published afterwards if open)."""
    data: dict[str, Any] = {
        "name": spec.name,
        "title": spec.title + DEMO_SUFFIX,
        "owner_org": org_name,
        "data_type": spec.data_type,
        "maintainer": "กลุ่มบริหารข้อมูลการเกษตร ศทส.",
        "maintainer_email": "data-demo@example.go.th",
        "tags": [{"name": t} for t in spec.tags],
        "groups": [{"name": g} for g in spec.groups],
        "notes": f"{DEMO_NOTE} — {spec.notes}",
        "objective": ["พันธกิจหน่วยงาน", "เพื่อการให้บริการประชาชน"],
        "update_frequency_unit": "เดือน" if "รายเดือน" in spec.title else "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "จังหวัด",
        "data_source": "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร สป.กษ. (ข้อมูลสมมติ)",
        "data_format": ["CSV", "JSON"] if spec.open else ["Database"],
        "data_category": schema.PUBLIC_CATEGORY if spec.open else "ข้อมูลใช้ภายใน",
        "data_classification": "เปิดเผย" if spec.open else "ชั้นเผยแพร่ภายในองค์กร",
        "license_id": "Open Data Common" if spec.open else schema.OTHER,
        "license_id_other": "" if spec.open else "ใช้ภายในกระทรวงเท่านั้น",
        "accessible_condition": "ไม่มี" if spec.open else "ใช้ภายในกระทรวงเกษตรและสหกรณ์",
        "allow_harvest": spec.open,
        "data_language": ["ไทย"],
        "last_updated_date": last_updated,
        "private": True,
        "state": spec.state,
    }
    if spec.data_type == schema.OTHER_TYPE:
        data["data_type_other"] = "ข้อมูลการให้บริการ"
    data.update(spec.extra)
    return data
