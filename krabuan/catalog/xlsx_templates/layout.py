"""The DGA Excel template layouts (thai_gdc importer, catalog.md §c): sheet names, column order,
header on row 4, an example/description row 5 the importer skips, data from row 6."""

from __future__ import annotations

HEADER_ROW = 4
EXAMPLE_ROW = 5
FIRST_DATA_ROW = 6

# data_type (Thai) → sheet suffix
TYPE_SHEETS = {
    "ข้อมูลระเบียน": "Record",
    "ข้อมูลสถิติ": "Stat",
    "ข้อมูลภูมิสารสนเทศเชิงพื้นที่": "GIS",
    "ข้อมูลหลากหลายประเภท": "Multi",
    "ข้อมูลประเภทอื่นๆ": "Other",
}
SHEET_TYPES = {suffix: data_type for data_type, suffix in TYPE_SHEETS.items()}

COMMON = [
    "name",
    "d_type",
    "title",
    "owner_org",
    "maintainer",
    "maintainer_email",
    "tag_string",
    "notes",
    "objective",
    "update_frequency_unit",
    "update_frequency_interval",
    "geo_coverage",
    "data_source",
    "data_format",
    "data_category",
    "data_classification",
    "license_id",
    "accessible_condition",
]
RECORD_EXTRA = [
    "created_date",
    "last_updated_date",
    "url",
    "data_support",
    "data_collect",
    "data_language",
    "high_value_dataset",
    "reference_data",
]
STAT_EXTRA = [
    "first_year_of_data",
    "last_year_of_data",
    "data_release_calendar",
    "last_updated_date",
    "disaggregate",
    "unit_of_measure",
    "unit_of_multiplier",
    "calculation_method",
    "standard",
    "url",
    "data_language",
    "official_statistics",
]
GIS_EXTRA = [
    "geographic_data_set",
    "equivalent_scale",
    "west_bound_longitude",
    "east_bound_longitude",
    "north_bound_longitude",
    "south_bound_longitude",
    "positional_accuracy",
    "reference_period",
    "last_updated_date",
    "data_release_calendar",
    "data_release_date",
    "url",
    "data_language",
]


def meta_columns(suffix: str) -> list[str]:
    """Template 2 columns of one sheet; the Other sheet's 2nd column is data_type_other."""
    common = list(COMMON)
    if suffix == "Other":
        common[1] = "data_type_other"
    extra = {"Stat": STAT_EXTRA, "GIS": GIS_EXTRA}.get(suffix, RECORD_EXTRA)
    return common + extra


RESOURCE_COMMON = [
    "dataset_name",
    "resource_name",
    "resource_url",
    "description",
    "resource_accessible_condition",
    "resource_last_updated_date",
    "format",
]
RESOURCE_EXTRA = {
    "Record": ["resource_created_date", "resource_data_collect"],
    "Multi": ["resource_created_date", "resource_data_collect"],
    "Other": ["resource_created_date", "resource_data_collect"],
    "Stat": [
        "resource_first_year_of_data",
        "resource_last_year_of_data",
        "resource_data_release_calendar",
        "resource_disaggregate",
        "resource_unit_of_measure",
        "resource_unit_of_multiplier",
        "resource_official_statistics",
    ],
    "GIS": [
        "resource_equivalent_scale",
        "resource_geographic_data_set",
        "resource_created_date",
        "resource_data_release_date",
        "resource_positional_accuracy",
    ],
}


def resource_columns(suffix: str) -> list[str]:
    return RESOURCE_COMMON + RESOURCE_EXTRA[suffix]


TEMPLATE1_COLUMNS = ["ลำดับ", "name", "title", "owner_org", "data_type", "data_category", "สถานะ"]

DATE_FIELDS = {
    "created_date",
    "last_updated_date",
    "data_release_calendar",
    "data_release_date",
    "resource_last_updated_date",
    "resource_created_date",
    "resource_data_release_calendar",
    "resource_data_release_date",
}
BOOL_FIELDS = {
    "high_value_dataset",
    "reference_data",
    "official_statistics",
    "resource_official_statistics",
}
