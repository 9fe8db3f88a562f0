"""A title/tags vector with its own GIN index, and narrow heap rows on PostgreSQL.

PostgreSQL picks a query's candidates by reading every match's heap row (for
``prior``); with body, segmented text and the vector inline a row was ~1.2 kB, so a
broad word read most of a table far larger than shared buffers. With
``toast_tuple_target = 128`` the long text and the vectors live out of line (read
only for the twenty shown, or the candidates ranked) while the short columns the
filters and facets read stay in the row (``STORAGE MAIN``). SQLite gets only the
column (unused there).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

# What search.backends.database.TITLE_VECTOR_SQL builds at indexing time.
TITLE_VECTOR = (
    "setweight(to_tsvector('simple', coalesce(title_seg, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(tags_seg, '')), 'B')"
)
INLINE_COLUMNS = ("kind", "object_id", "subdomain", "platform", "author", "language", "tags", "resources")


def _forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("ALTER TABLE search_searchentry SET (toast_tuple_target = 128)")
    for column in INLINE_COLUMNS:
        execute(f"ALTER TABLE search_searchentry ALTER COLUMN {column} SET STORAGE MAIN")
    # Rewrites every row, so existing rows are stored narrow too.
    execute(f"UPDATE search_searchentry SET title_vector = {TITLE_VECTOR}")
    execute(
        "CREATE INDEX search_entry_title_vector ON search_searchentry USING gin (title_vector)"
    )


def _backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("DROP INDEX IF EXISTS search_entry_title_vector")
    execute("ALTER TABLE search_searchentry RESET (toast_tuple_target)")
    for column in INLINE_COLUMNS:
        execute(f"ALTER TABLE search_searchentry ALTER COLUMN {column} SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_entry_prior"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="title_vector",
            field=SearchVectorField(null=True),
        ),
        migrations.RunPython(_forwards, _backwards),
    ]
