"""A title/tags vector with its own GIN index (PostgreSQL).

The candidates' title pass used ``search_vector @@ 'word':AB``, which GIN cannot
answer alone (weights are not in the index): every match's vector was rechecked.
``title_vector`` holds the title (A) and tags (B) lexemes only. SQLite gets the
column, unused there.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

# What search.backends.database.TITLE_VECTOR_SQL builds at indexing time.
TITLE_VECTOR = (
    "setweight(to_tsvector('simple', coalesce(title_seg, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(tags_seg, '')), 'B')"
)


def _forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"UPDATE search_searchentry SET title_vector = {TITLE_VECTOR}")
    schema_editor.execute(
        "CREATE INDEX search_entry_title_vector ON search_searchentry USING gin (title_vector)"
    )


def _backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_title_vector")


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
