"""The full-text index of the catalog search, per database (krabuan/catalog/search/engine.py).

SQLite: an FTS5 table over the segmented fields (tokenizer `ascii`: the terms are already cut by
PyThaiNLP, so it only splits on spaces and never at a Thai tone mark) and the table that maps
its integer rowids to dataset ids. PostgreSQL: a tsvector column on the search documents with a
GIN index, rows kept inline. Both: covering indexes for visibility checks and facet counts.
Other databases get nothing (the search needs one of these two).

The indexes are raw SQL, outside Django's model state, so that the models stay as they are; a
later migration that rebuilds the dataset or resource table on SQLite drops them (run this
migration's SQL again, or accept slower facets).

Existing datasets are indexed by `krabuan catalog_reindex`."""

from django.db import migrations

# Both databases: the search reads whole dataset and resource rows (wide: descriptions, JSON,
# URLs) only to check visibility or count facets; these let it answer from an index alone.
COVERING_FORWARD = [
    "CREATE INDEX catalog_search_visible_by_id ON catalog_dataset "
    "(id, state, private, allow_harvest, owner_org_id, license_id, data_type, data_category, "
    "data_classification, metadata_modified)",
    "CREATE INDEX catalog_search_visible ON catalog_dataset "
    "(state, private, allow_harvest, id, owner_org_id, license_id, data_type, data_category, "
    "data_classification, metadata_modified)",
    "CREATE INDEX catalog_search_resource_format ON catalog_resource "
    "(dataset_id, resource_private, state, format)",
]
COVERING_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_search_resource_format",
    "DROP INDEX IF EXISTS catalog_search_visible",
    "DROP INDEX IF EXISTS catalog_search_visible_by_id",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_search_fts USING fts5("
    'name, title, tags, "groups", organization, notes, parts, '
    "tokenize = 'ascii', detail = 'full')",
    # rowid of the FTS table -> dataset id, and the title's terms for the exact-title boost.
    "CREATE TABLE catalog_search_fts_key ("
    "id INTEGER PRIMARY KEY, dataset_id char(32) NOT NULL UNIQUE, title text NOT NULL DEFAULT '')",
    *COVERING_FORWARD,
]
SQLITE_BACKWARD = [
    *COVERING_BACKWARD,
    "DROP TABLE IF EXISTS catalog_search_fts_key",
    "DROP TABLE IF EXISTS catalog_search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE catalog_datasetsearchdoc ADD COLUMN document tsvector",
    # Keep rows up to a page inline and uncompressed: otherwise every tsvector is compressed
    # (the row passes 2 kB with the segmented text) and a scan decompresses each one (8x slower).
    "ALTER TABLE catalog_datasetsearchdoc SET (toast_tuple_target = 8160)",
    "CREATE INDEX catalog_search_document_gin ON catalog_datasetsearchdoc USING gin (document)",
    *COVERING_FORWARD,
]
POSTGRES_BACKWARD = [
    *COVERING_BACKWARD,
    "DROP INDEX IF EXISTS catalog_search_document_gin",
    "ALTER TABLE catalog_datasetsearchdoc RESET (toast_tuple_target)",
    "ALTER TABLE catalog_datasetsearchdoc DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
