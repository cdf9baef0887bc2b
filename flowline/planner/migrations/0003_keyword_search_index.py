"""Substring search over keywords through an index (issue 18): pg_trgm's GIN index on
PostgreSQL, an FTS5 trigram table kept by triggers on SQLite (see planner/search.py)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE planner_keyword_fts USING fts5(normalized, tokenize='trigram')",
    "INSERT INTO planner_keyword_fts(rowid, normalized) SELECT id, normalized FROM planner_keyword",
    """CREATE TRIGGER planner_keyword_fts_insert AFTER INSERT ON planner_keyword BEGIN
         INSERT INTO planner_keyword_fts(rowid, normalized) VALUES (new.id, new.normalized);
       END""",
    """CREATE TRIGGER planner_keyword_fts_delete AFTER DELETE ON planner_keyword BEGIN
         DELETE FROM planner_keyword_fts WHERE rowid = old.id;
       END""",
    """CREATE TRIGGER planner_keyword_fts_update AFTER UPDATE OF normalized ON planner_keyword
       BEGIN
         DELETE FROM planner_keyword_fts WHERE rowid = old.id;
         INSERT INTO planner_keyword_fts(rowid, normalized) VALUES (new.id, new.normalized);
       END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS planner_keyword_fts_insert",
    "DROP TRIGGER IF EXISTS planner_keyword_fts_delete",
    "DROP TRIGGER IF EXISTS planner_keyword_fts_update",
    "DROP TABLE IF EXISTS planner_keyword_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS planner_kw_normalized_trgm "
    "ON planner_keyword USING gin (normalized gin_trgm_ops)"
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS planner_kw_normalized_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("planner", "0002_keyword_site_sector_indexes")]

    operations = [
        TrigramExtension(),  # PostgreSQL only; a no-op elsewhere
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
