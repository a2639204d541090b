"""The agency data catalog: CKAN-shaped organizations, groups, datasets and resources with the
thai_gdc (DGA) metadata schema, plus the personal-data scans that gate publishing.

Common DGA items are columns (they are filtered and faceted); the fields that only apply to one
data type live in `type_fields` (JSON, keyed by their thai_gdc names) and are validated by
`krabuan.catalog.schema`. Ids are UUIDs because CKAN clients and GD Catalog keep them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from krabuan.core.models import TimeStampedModel
from krabuan.org.models import Unit


class State(models.TextChoices):
    DRAFT = "draft", _("ฉบับร่าง")
    ACTIVE = "active", _("ใช้งาน")
    DELETED = "deleted", _("ลบแล้ว")


class Organization(TimeStampedModel):
    """A publishing body in the catalog, mapped to a unit of the org tree."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("ชื่อ URL"), max_length=100, unique=True)
    title = models.CharField(_("ชื่อหน่วยงาน"), max_length=255)
    description = models.TextField(_("รายละเอียด"), blank=True)
    image_url = models.CharField(_("รูปภาพ"), max_length=500, blank=True)
    unit = models.OneToOneField(
        Unit,
        verbose_name=_("หน่วยงานในโครงสร้าง"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalog_organization",
    )
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.ACTIVE)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Group(TimeStampedModel):
    """One of the seven thai_gdc area groups (category01–category07) or a topic group."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("ชื่อ URL"), max_length=100, unique=True)
    title = models.CharField(_("ชื่อกลุ่ม"), max_length=255)
    description = models.TextField(_("รายละเอียด"), blank=True)
    image_url = models.CharField(_("รูปภาพ"), max_length=500, blank=True)
    category = models.CharField(_("ประเภทกลุ่ม"), max_length=20, blank=True)  # category01..07
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.ACTIVE)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    """A keyword; Thai words with vowels and tone marks are valid names."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("คำสำคัญ"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """A dataset with the DGA's 14 mandatory items; `metadata_modified` moves on every edit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("ชื่อ URL (รหัสชุดข้อมูล)"), max_length=70, unique=True)
    title = models.CharField(_("ชื่อชุดข้อมูล"), max_length=500)
    owner_org = models.ForeignKey(
        Organization,
        verbose_name=_("หน่วยงานเจ้าของข้อมูล"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    state = models.CharField(
        _("สถานะ"), max_length=10, choices=State.choices, default=State.ACTIVE, db_index=True
    )
    private = models.BooleanField(_("ไม่เปิดเผย (ส่วนตัว)"), default=True)
    data_type = models.CharField(_("ประเภทชุดข้อมูล"), max_length=100)
    data_type_other = models.CharField(max_length=255, blank=True)
    maintainer = models.CharField(_("ชื่อฝ่ายงานสำหรับติดต่อ"), max_length=255)
    maintainer_email = models.CharField(_("อีเมลสำหรับติดต่อ"), max_length=254)
    author = models.CharField(max_length=255, blank=True)
    author_email = models.CharField(max_length=254, blank=True)
    notes = models.TextField(_("รายละเอียด"))
    objective = models.JSONField(_("วัตถุประสงค์"), default=list)
    objective_other = models.CharField(max_length=500, blank=True)
    update_frequency_unit = models.CharField(_("หน่วยความถี่ของการปรับปรุงข้อมูล"), max_length=100)
    update_frequency_unit_other = models.CharField(max_length=255, blank=True)
    update_frequency_interval = models.CharField(
        _("ค่าความถี่ของการปรับปรุงข้อมูล"), max_length=20, blank=True
    )
    geo_coverage = models.CharField(_("ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"), max_length=100)
    geo_coverage_other = models.CharField(max_length=255, blank=True)
    data_source = models.CharField(_("แหล่งที่มา"), max_length=500)
    data_format = models.JSONField(_("รูปแบบการเก็บข้อมูล"), default=list)
    data_format_other = models.CharField(max_length=255, blank=True)
    data_category = models.CharField(_("หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ"), max_length=100)
    data_classification = models.CharField(_("ระดับชั้นข้อมูล"), max_length=100, blank=True)
    license_id = models.CharField(_("สัญญาอนุญาตให้ใช้ข้อมูล"), max_length=200)
    license_id_other = models.CharField(max_length=255, blank=True)
    accessible_condition = models.TextField(_("เงื่อนไขในการเข้าถึงข้อมูล"))
    allow_harvest = models.BooleanField(_("ยินยอมให้นำชื่อชุดข้อมูลไปใช้ที่ GD-Catalog"), default=False)
    url = models.CharField(_("URL"), max_length=1000, blank=True)
    version = models.CharField(_("รุ่น"), max_length=100, blank=True)
    reference_url_catalog = models.CharField(_("อ้างอิง URL Catalog"), max_length=1000, blank=True)
    last_updated_date = models.DateField(_("วันที่ปรับปรุงข้อมูลล่าสุด"), null=True, blank=True)
    # Fields that apply only to some data types (thai_gdc names; see catalog.schema).
    type_fields = models.JSONField(_("ข้อมูลตามประเภทชุดข้อมูล"), default=dict, blank=True)
    tags = models.ManyToManyField(Tag, related_name="datasets", blank=True)
    groups = models.ManyToManyField(Group, related_name="datasets", blank=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    metadata_created = models.DateTimeField(_("สร้างเมื่อ"))
    metadata_modified = models.DateTimeField(_("แก้ไขล่าสุด"), db_index=True)
    view_count = models.PositiveIntegerField(_("จำนวนการเข้าชม"), default=0)
    # Quality score (0–100) recomputed by services on every change and by the link checker.
    quality_score = models.PositiveSmallIntegerField(_("คะแนนคุณภาพ"), default=0)
    quality_details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["state", "private", "allow_harvest"]),
            models.Index(fields=["owner_org", "state"]),
        ]

    def __str__(self) -> str:
        return self.title


class Resource(models.Model):
    """A file or link of a dataset; uploads are scanned for personal data before going public."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("ชื่อทรัพยากร"), max_length=500)
    description = models.TextField(_("คำอธิบาย"), blank=True)
    url = models.CharField(_("URL"), max_length=2000, blank=True)
    url_type = models.CharField(max_length=20, blank=True)  # "upload" for stored files
    upload = models.FileField(_("ไฟล์"), upload_to="catalog/%Y/%m/", blank=True, max_length=500)
    format = models.CharField(_("นามสกุลของไฟล์"), max_length=50, blank=True)
    mimetype = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    hash = models.CharField(max_length=100, blank=True)
    resource_private = models.BooleanField(_("ไม่เปิดเผยทรัพยากรนี้"), default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    # thai_gdc resource_* fields (see catalog.schema.RESOURCE_FIELDS).
    type_fields = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField()
    last_modified = models.DateTimeField(null=True, blank=True)
    metadata_modified = models.DateTimeField()
    download_count = models.PositiveIntegerField(_("จำนวนการดาวน์โหลด"), default=0)
    link_status = models.PositiveSmallIntegerField(null=True, blank=True)  # HTTP status or 0
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["dataset", "position"]

    def __str__(self) -> str:
        return self.name


class ScanStatus(models.TextChoices):
    QUEUED = "queued", _("รอตรวจ")
    RUNNING = "running", _("กำลังตรวจ")
    CLEAN = "clean", _("ไม่พบข้อมูลส่วนบุคคล")
    FINDINGS = "findings", _("พบข้อมูลที่อาจเป็นข้อมูลส่วนบุคคล")
    FAILED = "failed", _("ตรวจไม่สำเร็จ")


class PersonalDataScan(models.Model):
    """One scan of one uploaded file (by hash); findings block publishing until decided."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="scans")
    file_hash = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=ScanStatus.choices, default=ScanStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    rows_scanned = models.PositiveIntegerField(default=0)
    # [{"kind": "thai_id"|"phone"|"email"|"bank_account"|"column_name", "column": str,
    #   "count": int, "rows": [int…first few], "sample": masked str}]
    findings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The uploader wanted the file public; the guard kept it private while this (background)
    # scan ran. A clean result publishes it (services.resources.resource_publish_after_scan).
    publish_when_clean = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"scan {self.pk} of {self.resource_id}"


class DecisionKind(models.TextChoices):
    REMOVE = "remove", _("นำข้อมูลส่วนบุคคลออกแล้ว")
    MASK = "mask", _("ปกปิด (mask) ข้อมูล")
    JUSTIFY = "justify", _("เผยแพร่ได้ พร้อมเหตุผล")


class ScanDecision(models.Model):
    """A data steward's decision on a scan with findings; audited."""

    scan = models.OneToOneField(PersonalDataScan, on_delete=models.CASCADE, related_name="decision")
    kind = models.CharField(_("การตัดสินใจ"), max_length=10, choices=DecisionKind.choices)
    note = models.TextField(_("เหตุผล/บันทึก"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} on scan {self.scan_id}"


class DatasetSearchDoc(models.Model):
    """Segmented text of a dataset for full-text search (kept in step by the services).

    Each field holds PyThaiNLP `newmm` tokens joined by spaces, so the database's own full-text
    engine (SQLite FTS5 / PostgreSQL tsvector) can rank Thai words."""

    dataset = models.OneToOneField(
        Dataset, on_delete=models.CASCADE, primary_key=True, related_name="search_doc"
    )
    name = models.TextField(blank=True)
    title = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    groups = models.TextField(blank=True)
    organization = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    res_formats = models.TextField(blank=True)  # space-separated upper-case formats (facets)
    # The link-table facet keys (search/counting.py): PostgreSQL reads these rows for every match
    # anyway, so a search counts its facets from them without another join.
    facet_keys = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"search doc {self.dataset_id}"


class DatasetFacetKeys(models.Model):
    """The link-table facet values of a dataset in one narrow row, rewritten with its search
    document: groups and tags by id, and the formats of its public resources. The facet counts
    of a search read these rows for the matches and count them in Python, instead of joining
    the tag, group and resource tables for thousands of matches (search/counting.py)."""

    dataset = models.OneToOneField(
        Dataset, on_delete=models.CASCADE, primary_key=True, related_name="facet_keys"
    )
    keys = models.TextField(blank=True)  # tab-separated "g<hex id>", "t<hex id>", "fCSV"
    # What the dataset adds to FacetTotal, as it was added: its visibility class and every facet
    # value (search/totals.py), so that a change subtracts exactly what was counted.
    visibility = models.CharField(max_length=30, blank=True)
    counted = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"facet keys {self.dataset_id}"


class FacetTotal(models.Model):
    """How many datasets of one visibility class (state, private, allow_harvest) have one facet
    value; the key "" counts the datasets. Kept by search/totals.py in the transaction that
    rewrites a dataset's search document, so that a search without words and without filters
    other than visibility (the portal's first page, `q=*:*`) reads its facets from a few rows."""

    visibility = models.CharField(max_length=30)
    key = models.CharField(max_length=300)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visibility", "key"], name="catalog_facet_total_key")
        ]

    def __str__(self) -> str:
        return f"{self.visibility} {self.key}: {self.n}"


class DatasetListing(models.Model):
    """The package_show dict of a dataset as anyone who may not edit it sees it (private
    resources left out), as JSON, rewritten with its search document. package_search returns
    these for such callers, as CKAN returns the data dict stored in its Solr index. The site's
    address is a marker (dictize.SITE_MARKER), filled in when served."""

    dataset = models.OneToOneField(
        Dataset, on_delete=models.CASCADE, primary_key=True, related_name="listing"
    )
    public_dict = models.TextField()

    def __str__(self) -> str:
        return f"listing {self.dataset_id}"
