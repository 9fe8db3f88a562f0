"""Keep the vectors and the folded text in the row (PostgreSQL storage MAIN).

A question's row passed PostgreSQL's 2 kB TOAST threshold, and the largest value,
its ``search_vector``, was moved out of line: ranking 2,000 candidates then read
2,000 TOAST rows. With MAIN, PostgreSQL compresses and moves the display ``body``
(EXTENDED) first, and the vectors and ``folded`` (the phrase check) stay in the row.
Existing rows change when next written (``search_reindex`` rewrites every row).
"""

from django.db import migrations

COLUMNS = ("search_vector", "title_vector", "folded")


def _storage(mode: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            "ALTER TABLE search_searchentry "
            + ", ".join(f"ALTER COLUMN {column} SET STORAGE {mode}" for column in COLUMNS)
        )

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_entry_markers"),
    ]

    operations = [
        migrations.RunPython(_storage("MAIN"), _storage("EXTENDED")),
    ]
