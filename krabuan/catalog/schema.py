"""The thai_gdc 2.2.4 metadata schema (DGA GD-Catalog guideline): every dataset and resource field,
its Thai label, its exact Thai choice values and the data types it applies to.

Choice values are copied exactly from the official extension (see the shared catalog reference
§a–§c): CKAN clients and GD Catalog compare them as strings. Fields that are Dataset/Resource
columns have `column=True`; the others live in `type_fields` under their thai_gdc names.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- data types -----------------------------------------------------------------------------
RECORD = "ข้อมูลระเบียน"
STAT = "ข้อมูลสถิติ"
GIS = "ข้อมูลภูมิสารสนเทศเชิงพื้นที่"
MULTI = "ข้อมูลหลากหลายประเภท"
OTHER_TYPE = "ข้อมูลประเภทอื่นๆ"
DATA_TYPES: tuple[str, ...] = (RECORD, STAT, GIS, MULTI, OTHER_TYPE)
# Short keys used by the Excel templates (Temp2_Meta_<key>) and the staff editor.
DATA_TYPE_KEYS: dict[str, str] = {
    RECORD: "Record",
    STAT: "Stat",
    GIS: "GIS",
    MULTI: "Multi",
    OTHER_TYPE: "Other",
}

OTHER = "อื่นๆ"  # the choice value that asks for the `*_other` free text

_RECORD_LIKE = frozenset({RECORD, MULTI, OTHER_TYPE})
_STAT = frozenset({STAT})
_GIS = frozenset({GIS})
_STAT_GIS = frozenset({STAT, GIS})
_NOT_STAT = frozenset({RECORD, GIS, MULTI, OTHER_TYPE})

# --- choice lists -----------------------------------------------------------------------------
OBJECTIVES = (
    "ยุทธศาสตร์ชาติ",
    "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ",
    "แผนความมั่นคงแห่งชาติ",
    "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
    "แผนปฏิรูปประเทศ",
    "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)",
    "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี",
    "มติคณะรัฐมนตรี",
    "เพื่อการให้บริการประชาชน",
    "กฎหมายที่เกี่ยวข้อง",
    "พันธกิจหน่วยงาน",
    "ดัชนี/ตัวชี้วัดระดับนานาชาติ",
    "ไม่ทราบ",
    OTHER,
)
UPDATE_FREQUENCY_UNITS = (
    "ไม่ทราบ",
    "ปี",
    "ครึ่งปี",
    "ไตรมาส",
    "เดือน",
    "สัปดาห์",
    "วัน",
    "วันทำการ",
    "ชั่วโมง",
    "นาที",
    "ตามเวลาจริง",
    "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
    OTHER,
)
GEO_COVERAGES = (
    "ไม่มี",
    "โลก",
    "ทวีป/กลุ่มประเทศในทวีป",
    "กลุ่มประเทศทางเศรษฐกิจ",
    "ประเทศ",
    "ภาค",
    "จังหวัด",
    "อำเภอ",
    "ตำบล",
    "หมู่บ้าน",
    "เทศบาล/อบต.",
    "พิกัด",
    "ไม่ทราบ",
    OTHER,
)
DATA_FORMATS = (
    "Database",
    "CSV",
    "XML",
    "Image",
    "Video",
    "Audio",
    "Text",
    "JSON",
    "HTML",
    "DOC/DOCX",
    "XLS",
    "PDF",
    "RDF",
    "NoSQL",
    "Arc/Info Coverage",
    "Shapefile",
    "GeoTiff",
    "GML",
    "ไม่ทราบ",
    OTHER,
)
PUBLIC_CATEGORY = "ข้อมูลสาธารณะ"
DATA_CATEGORIES = (
    PUBLIC_CATEGORY,
    "ข้อมูลใช้ภายใน",
    "ข้อมูลส่วนบุคคล",
    "ข้อมูลความมั่นคง",
    "ข้อมูลความลับทางราชการ",
)
DATA_CLASSIFICATIONS = ("เปิดเผย", "ชั้นเผยแพร่ภายในองค์กร", "ลับ", "ลับมาก", "ลับที่สุด")
DATA_SUPPORTS = (
    "ไม่มี",
    "หน่วยงานของรัฐ",
    "หน่วยงานเอกชน",
    "หน่วยงาน/องค์กรระหว่างประเทศ",
    "มูลนิธิ/สมาคม",
    "สถาบันการศึกษา",
    OTHER,
)
DATA_COLLECTS = (
    "ไม่มี",
    "บุคคล",
    "ครัวเรือน/ครอบครัว",
    "บ้าน/ที่อยู่อาศัย",
    "บริษัท/ห้างร้าน/สถานประกอบการ",
    "อาคาร/สิ่งปลูกสร้าง",
    "พื้นที่การเกษตร ประมง ป่าไม้",
    "สัตว์และพันธุ์พืช",
    "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
    "แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ",
    "เส้นทางการเดินทาง เช่น ถนน ทางรถไฟ",
    "ไม่ทราบ",
    OTHER,
)
DATA_LANGUAGES = (
    "ไทย",
    "อังกฤษ",
    "จีน",
    "มลายู",
    "พม่า",
    "ลาว",
    "เขมร",
    "ญี่ปุ่น",
    "เกาหลี",
    "ฝรั่งเศส",
    "เยอรมัน",
    "อารบิก",
    "ไม่ทราบ",
    OTHER,
)
DISAGGREGATES = (
    "ไม่มี",
    "เพศ",
    "อายุ/กลุ่มอายุ",
    "สถานภาพสมรส",
    "ศาสนา",
    "ระดับการศึกษา",
    "อาชีพ",
    "สถานภาพการทำงาน",
    "อุตสาหกรรม/ประเภทกิจการ",
    "รายได้",
    "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
    "ผลิตภัณฑ์",
    "ไม่ทราบ",
    OTHER,
)
UNITS_OF_MULTIPLIER = (
    "หน่วย",
    "สิบ",
    "ร้อย",
    "พัน",
    "หมื่น",
    "แสน",
    "ล้าน",
    "สิบล้าน",
    "ร้อยล้าน",
    "พันล้าน",
    "หมื่นล้าน",
    "แสนล้าน",
    "ล้านล้าน",
    "ไม่ทราบ",
    OTHER,
)
GEOGRAPHIC_DATA_SETS = (
    "ชั้นข้อมูลแปลงที่ดิน",
    "ชั้นข้อมูลขอบเขตการปกครอง",
    "ชั้นข้อมูลเส้นทางคมนาคม",
    "ชั้นข้อมูลชุมนุม/อาคาร",
    "ชั้นข้อมูลป่าไม้",
    "ชั้นข้อมูลการใช้ประโยชน์ที่ดิน",
    "ชั้นข้อมูลแหล่งน้ำ",
    "ชั้นข้อมูลอุทกศาสตร์",
    "ชั้นข้อมูลหมุดหลักฐานแผนที่",
    "ชั้นข้อมูลความสูงภูมิประเทศเชิงตัวเลข",
    "ชั้นข้อมูลภาพแผนที่ภูมิประเทศ",
    "ชั้นข้อมูลแผนที่ภาพถ่ายทางอากาศ",
    "ชั้นข้อมูลภาพวาดดาวเทียมดัดแก้",
)
EQUIVALENT_SCALES = ("1:4,000", "1:10,000", "1:25,000", "1:50,000", "1:250,000", OTHER)


# --- licenses (thai_gdc 2.2.4 list; the stored license_id is the title string) ----------------
@dataclass(frozen=True)
class License:
    id: str
    title: str
    url: str
    od_conformance: str  # "approved" | "not reviewed" (CKAN license_list key)
    isopen: bool


LICENSES: tuple[License, ...] = (
    License(
        "Open Data Common",
        "Open Data Common",
        "https://opendatacommons.org/licenses/by/1-0/",
        "approved",
        True,
    ),
    License(
        "Creative Commons Attributions",
        "Creative Commons Attributions",
        "https://creativecommons.org/licenses/by/4.0/",
        "approved",
        True,
    ),
    License(
        "Creative Commons Attribution Non-Commercial",
        "Creative Commons Attribution Non-Commercial",
        "https://creativecommons.org/licenses/by-nc/4.0/",
        "not reviewed",
        False,
    ),
    License(
        "Creative Commons Attribution Share-Alike",
        "Creative Commons Attribution Share-Alike",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "approved",
        True,
    ),
    License(
        "Creative Commons Attribution Non-Commercial Share-Alike",
        "Creative Commons Attribution Non-Commercial Share-Alike",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        "not reviewed",
        False,
    ),
    License(
        "Creative Commons Attribution Non-Commercial No-Derivs",
        "Creative Commons Attribution Non-Commercial No-Derivs",
        "https://creativecommons.org/licenses/by-nc-nd/4.0/",
        "not reviewed",
        False,
    ),
    License(
        "Creative Commons Attribution No-Derivs",
        "Creative Commons Attribution No-Derivs",
        "https://creativecommons.org/licenses/by-nd/4.0/",
        "not reviewed",
        False,
    ),
    License(OTHER, OTHER, "", "not reviewed", False),
)
LICENSE_TITLES: tuple[str, ...] = tuple(lic.title for lic in LICENSES)
_LICENSES_BY_ID = {lic.id: lic for lic in LICENSES}


def license_info(license_id: str) -> License | None:
    """The license entry for a stored license_id (title string), None when unknown."""
    return _LICENSES_BY_ID.get(license_id)


# --- groups -------------------------------------------------------------------------------------
GROUP_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("category01", "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ"),
    ("category02", "ประเด็นการพัฒนา"),
    ("category03", "ด้านกายภาพ"),
    ("category04", "ด้านเศรษฐกิจ"),
    ("category05", "ด้านสังคมและความมั่นคง"),
    ("category06", "ด้านทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ("category07", "อื่น ๆ"),
)


# --- field specs --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # text markdown choice multi date email url bool year number slug
    choices: tuple[str, ...] = ()
    required: bool = False
    data_types: frozenset[str] | None = None  # None = every data type
    other_field: str | None = None
    other_value: str = OTHER  # the choice that asks for other_field
    column: bool = False  # a model column (else kept in type_fields)
    help: str = ""

    def applies_to(self, data_type: str | None) -> bool:
        return self.data_types is None or data_type in self.data_types


def _f(name: str, label: str, kind: str, **kw: object) -> FieldSpec:
    return FieldSpec(name, label, kind, **kw)  # type: ignore[arg-type]


DATASET_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", "URL (รหัสชุดข้อมูล)", "slug", required=True, column=True),
    _f(
        "data_type",
        "ประเภทชุดข้อมูล",
        "choice",
        choices=DATA_TYPES,
        required=True,
        other_field="data_type_other",
        other_value=OTHER_TYPE,
        column=True,
    ),
    _f("title", "ชื่อชุดข้อมูล", "text", required=True, column=True),
    _f("owner_org", "หน่วยงานเจ้าของข้อมูล", "text", required=True, column=True),
    _f("maintainer", "ชื่อฝ่ายงานสำหรับติดต่อ", "text", required=True, column=True),
    _f("maintainer_email", "อีเมลสำหรับติดต่อ", "email", required=True, column=True),
    _f("tag_string", "คำสำคัญ", "text", required=True, help="คั่นแต่ละคำด้วยจุลภาค (,)"),
    _f("notes", "รายละเอียด", "markdown", required=True, column=True),
    _f(
        "objective",
        "วัตถุประสงค์",
        "multi",
        choices=OBJECTIVES,
        required=True,
        other_field="objective_other",
        column=True,
    ),
    _f(
        "update_frequency_unit",
        "หน่วยความถี่ของการปรับปรุงข้อมูล",
        "choice",
        choices=UPDATE_FREQUENCY_UNITS,
        required=True,
        other_field="update_frequency_unit_other",
        column=True,
    ),
    _f(
        "update_frequency_interval",
        "ค่าความถี่ของการปรับปรุงข้อมูล",
        "number",
        column=True,
        help="จำนวนครั้งต่อหน่วยความถี่",
    ),
    _f(
        "geo_coverage",
        "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
        "choice",
        choices=GEO_COVERAGES,
        required=True,
        other_field="geo_coverage_other",
        column=True,
    ),
    _f("data_source", "แหล่งที่มา", "text", required=True, column=True),
    _f(
        "data_format",
        "รูปแบบการเก็บข้อมูล",
        "multi",
        choices=DATA_FORMATS,
        required=True,
        other_field="data_format_other",
        column=True,
    ),
    _f(
        "data_category",
        "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ",
        "choice",
        choices=DATA_CATEGORIES,
        required=True,
        column=True,
    ),
    _f(
        "data_classification",
        "ระดับชั้นข้อมูล",
        "choice",
        choices=DATA_CLASSIFICATIONS,
        column=True,
    ),
    _f(
        "license_id",
        "สัญญาอนุญาตให้ใช้ข้อมูล",
        "choice",
        choices=LICENSE_TITLES,
        required=True,
        other_field="license_id_other",
        column=True,
    ),
    _f(
        "accessible_condition",
        "เงื่อนไขในการเข้าถึงข้อมูล",
        "markdown",
        required=True,
        column=True,
        help='ระบุ "ไม่มี" หากไม่มีเงื่อนไข',
    ),
    _f("allow_harvest", "ยินยอมให้นำชื่อชุดข้อมูลไปใช้ที่ GD-Catalog", "bool", column=True),
    _f("reference_url_catalog", "อ้างอิง URL Catalog", "url", column=True),
    _f("url", "URL", "url", column=True, help="หน้าเว็บที่อธิบายรายละเอียดของชุดข้อมูล"),
    _f("version", "รุ่น", "text", column=True),
    _f(
        "data_support",
        "ผู้สนับสนุนหรือผู้ร่วมดำเนินการ",
        "choice",
        choices=DATA_SUPPORTS,
        data_types=_RECORD_LIKE,
        other_field="data_support_other",
    ),
    _f(
        "data_collect",
        "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล",
        "choice",
        choices=DATA_COLLECTS,
        data_types=_RECORD_LIKE,
        other_field="data_collect_other",
    ),
    _f(
        "data_language",
        "ภาษาที่ใช้",
        "multi",
        choices=DATA_LANGUAGES,
        other_field="data_language_other",
    ),
    _f("created_date", "วันที่เริ่มต้นสร้าง", "date", data_types=_RECORD_LIKE),
    _f("last_updated_date", "วันที่ปรับปรุงข้อมูลล่าสุด", "date", column=True),
    _f("data_release_calendar", "วันที่กำหนดเผยแพร่ข้อมูล", "date", data_types=_STAT_GIS),
    _f("first_year_of_data", "ปีข้อมูลที่เริ่มต้นจัดทำ", "year", data_types=_STAT),
    _f("last_year_of_data", "ปีข้อมูลล่าสุดที่เผยแพร่", "year", data_types=_STAT),
    _f(
        "disaggregate",
        "การจัดจำแนก",
        "multi",
        choices=DISAGGREGATES,
        data_types=_STAT,
        other_field="disaggregate_other",
    ),
    _f("unit_of_measure", "หน่วยวัด", "text", data_types=_STAT),
    _f(
        "unit_of_multiplier",
        "หน่วยตัวคูณ",
        "choice",
        choices=UNITS_OF_MULTIPLIER,
        data_types=_STAT,
        other_field="unit_of_multiplier_other",
    ),
    _f("calculation_method", "วิธีการคำนวณ", "markdown", data_types=_STAT),
    _f("standard", "มาตรฐานการจัดทำข้อมูล", "text", data_types=_STAT),
    _f("official_statistics", "สถิติทางการ", "bool", data_types=_STAT),
    _f(
        "geographic_data_set",
        "ชุดข้อมูลภูมิศาสตร์",
        "choice",
        choices=GEOGRAPHIC_DATA_SETS,
        data_types=_GIS,
    ),
    _f(
        "equivalent_scale",
        "มาตราส่วน",
        "choice",
        choices=EQUIVALENT_SCALES,
        data_types=_GIS,
        other_field="equivalent_scale_other",
    ),
    _f("west_bound_longitude", "ค่าพิกัดกรอบพื้นที่ด้านทิศตะวันตก", "number", data_types=_GIS),
    _f("east_bound_longitude", "ค่าพิกัดกรอบพื้นที่ด้านทิศตะวันออก", "number", data_types=_GIS),
    # thai_gdc names these "longitude" although they hold latitudes; kept for compatibility.
    _f("north_bound_longitude", "ค่าพิกัดกรอบพื้นที่ด้านทิศเหนือ", "number", data_types=_GIS),
    _f("south_bound_longitude", "ค่าพิกัดกรอบพื้นที่ด้านทิศใต้", "number", data_types=_GIS),
    _f("positional_accuracy", "ความถูกต้องของตำแหน่ง", "text", data_types=_GIS),
    _f("reference_period", "เวลาอ้างอิง", "text", data_types=_GIS),
    _f("data_release_date", "วันที่เผยแพร่ข้อมูล", "date", data_types=_GIS),
    _f("high_value_dataset", "ชุดข้อมูลที่มีคุณค่าสูง", "bool", data_types=_RECORD_LIKE),
    _f("reference_data", "ข้อมูลอ้างอิง", "bool", data_types=_RECORD_LIKE),
)

RESOURCE_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", "ชื่อทรัพยากร", "text", required=True, column=True),
    _f("url", "URL", "url", column=True),
    _f("description", "คำอธิบาย", "markdown", column=True),
    _f("format", "นามสกุลของไฟล์", "text", column=True),
    _f("resource_accessible_condition", "เงื่อนไขในการเข้าถึงข้อมูล", "markdown"),
    _f("resource_last_updated_date", "วันที่ปรับปรุงข้อมูลล่าสุด", "date"),
    _f("resource_created_date", "วันที่เริ่มต้นสร้าง", "date", data_types=_NOT_STAT),
    _f(
        "resource_data_collect",
        "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล",
        "choice",
        choices=DATA_COLLECTS,
        data_types=_RECORD_LIKE,
        other_field="resource_data_collect_other",
    ),
    _f("resource_first_year_of_data", "ปีข้อมูลที่เริ่มต้นจัดทำ", "year", data_types=_STAT),
    _f("resource_last_year_of_data", "ปีข้อมูลล่าสุดที่เผยแพร่", "year", data_types=_STAT),
    _f("resource_data_release_calendar", "วันที่กำหนดเผยแพร่ข้อมูล", "date", data_types=_STAT),
    _f(
        "resource_disaggregate",
        "การจัดจำแนก",
        "multi",
        choices=DISAGGREGATES,
        data_types=_STAT,
        other_field="resource_disaggregate_other",
    ),
    _f("resource_unit_of_measure", "หน่วยวัด", "text", data_types=_STAT),
    _f(
        "resource_unit_of_multiplier",
        "หน่วยตัวคูณ",
        "choice",
        choices=UNITS_OF_MULTIPLIER,
        data_types=_STAT,
        other_field="resource_unit_of_multiplier_other",
    ),
    _f("resource_official_statistics", "สถิติทางการ", "bool", data_types=_STAT),
    _f(
        "resource_geographic_data_set",
        "ชุดข้อมูลภูมิศาสตร์",
        "choice",
        choices=GEOGRAPHIC_DATA_SETS,
        data_types=_GIS,
    ),
    _f(
        "resource_equivalent_scale",
        "มาตราส่วน",
        "choice",
        choices=EQUIVALENT_SCALES,
        data_types=_GIS,
        other_field="resource_equivalent_scale_other",
    ),
    _f("resource_positional_accuracy", "ความถูกต้องของตำแหน่ง", "text", data_types=_GIS),
    _f("resource_data_release_date", "วันที่เผยแพร่ข้อมูล", "date", data_types=_GIS),
    _f("resource_private", "ไม่เปิดเผยทรัพยากรนี้", "bool", column=True),
)

DATASET_FIELD_MAP: dict[str, FieldSpec] = {f.name: f for f in DATASET_FIELDS}
RESOURCE_FIELD_MAP: dict[str, FieldSpec] = {f.name: f for f in RESOURCE_FIELDS}

# The DGA's 14 mandatory items (Template 2 common block without the slug and the type).
MANDATORY_ITEMS: tuple[str, ...] = (
    "title",
    "owner_org",
    "maintainer",
    "maintainer_email",
    "tag_string",
    "notes",
    "objective",
    "update_frequency_unit",
    "geo_coverage",
    "data_source",
    "data_format",
    "data_category",
    "license_id",
    "accessible_condition",
)

# Free-text companions: every `*_other` name → the choice field it completes.
DATASET_OTHER_FIELDS: dict[str, str] = {
    f.other_field: f.name for f in DATASET_FIELDS if f.other_field
}
RESOURCE_OTHER_FIELDS: dict[str, str] = {
    f.other_field: f.name for f in RESOURCE_FIELDS if f.other_field
}

# Non-column dataset fields (and their companions): the keys of Dataset.type_fields.
DATASET_TYPE_FIELD_NAMES: tuple[str, ...] = tuple(
    name
    for f in DATASET_FIELDS
    if not f.column
    for name in (f.name, f.other_field)
    if name and name != "tag_string"
)
RESOURCE_TYPE_FIELD_NAMES: tuple[str, ...] = tuple(
    name for f in RESOURCE_FIELDS if not f.column for name in (f.name, f.other_field) if name
)


def label(name: str) -> str:
    """The Thai label of a dataset or resource field (or its `*_other` companion)."""
    spec = DATASET_FIELD_MAP.get(name) or RESOURCE_FIELD_MAP.get(name)
    if spec:
        return spec.label
    base = DATASET_OTHER_FIELDS.get(name) or RESOURCE_OTHER_FIELDS.get(name)
    if base:
        return f"{label(base)} (อื่นๆ โปรดระบุ)"
    return {
        "tags": "คำสำคัญ",
        "groups": "กลุ่ม",
        "private": "การเปิดเผย",
        "state": "สถานะ",
        "upload": "ไฟล์",
        "resources": "ทรัพยากร",
        "id": "รหัสอ้างอิง",
    }.get(name, name)


def dataset_fields_for(data_type: str | None) -> list[FieldSpec]:
    """The dataset fields shown for one data type, in schema order."""
    return [f for f in DATASET_FIELDS if f.applies_to(data_type)]


def resource_fields_for(data_type: str | None) -> list[FieldSpec]:
    """The resource fields shown for resources of a dataset of one data type."""
    return [f for f in RESOURCE_FIELDS if f.applies_to(data_type)]
