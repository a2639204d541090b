"""The full-text index of the case search (krabuan/workflow/search.py), per database, and the
terms and the dashboards' summary of the cases that existed before.

SQLite: an FTS5 table with external content over workflow_casesearch (tokenizer `ascii`: the
terms are already cut, so it only splits on spaces and never at a Thai mark; detail `column`,
enough for prefix terms with column filters), kept in step by triggers on that table.
PostgreSQL: the terms cast to tsvector (whitespace-separated lexemes, no parser) in stored
generated columns, so a match never parses the text again, with a GIN index on each.
Other databases get nothing: the search falls back to `icontains` there.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE workflow_case_fts USING fts5("
    "title_terms, reference_terms, content='workflow_casesearch', content_rowid='case_id', "
    "tokenize='ascii', detail='column')",
    "CREATE TRIGGER workflow_casesearch_ai AFTER INSERT ON workflow_casesearch BEGIN "
    "INSERT INTO workflow_case_fts(rowid, title_terms, reference_terms) "
    "VALUES (new.case_id, new.title_terms, new.reference_terms); END",
    "CREATE TRIGGER workflow_casesearch_ad AFTER DELETE ON workflow_casesearch BEGIN "
    "INSERT INTO workflow_case_fts(workflow_case_fts, rowid, title_terms, reference_terms) "
    "VALUES ('delete', old.case_id, old.title_terms, old.reference_terms); END",
    "CREATE TRIGGER workflow_casesearch_au AFTER UPDATE ON workflow_casesearch BEGIN "
    "INSERT INTO workflow_case_fts(workflow_case_fts, rowid, title_terms, reference_terms) "
    "VALUES ('delete', old.case_id, old.title_terms, old.reference_terms); "
    "INSERT INTO workflow_case_fts(rowid, title_terms, reference_terms) "
    "VALUES (new.case_id, new.title_terms, new.reference_terms); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS workflow_casesearch_au",
    "DROP TRIGGER IF EXISTS workflow_casesearch_ad",
    "DROP TRIGGER IF EXISTS workflow_casesearch_ai",
    "DROP TABLE IF EXISTS workflow_case_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE workflow_casesearch ADD COLUMN title_vector tsvector "
    "GENERATED ALWAYS AS (title_terms::tsvector) STORED",
    "ALTER TABLE workflow_casesearch ADD COLUMN reference_vector tsvector "
    "GENERATED ALWAYS AS (reference_terms::tsvector) STORED",
    "CREATE INDEX workflow_casesearch_title_gin ON workflow_casesearch USING gin (title_vector)",
    "CREATE INDEX workflow_casesearch_reference_gin ON workflow_casesearch "
    "USING gin (reference_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS workflow_casesearch_reference_gin",
    "DROP INDEX IF EXISTS workflow_casesearch_title_gin",
    "ALTER TABLE workflow_casesearch DROP COLUMN IF EXISTS reference_vector",
    "ALTER TABLE workflow_casesearch DROP COLUMN IF EXISTS title_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def _fill(apps, schema_editor):
    # The same code as `krabuan workflow_reindex` and `krabuan workflow_stats_rebuild`. Its SQL
    # names only columns that exist at this point, so a later model change does not break it.
    from krabuan.workflow import search
    from krabuan.workflow.services import stats

    search.reindex(using=schema_editor.connection)
    stats.stats_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0003_case_search_and_step_stats"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop),
    ]
