"""Marker lexemes in both vectors (PostgreSQL): filters and prior bands.

GIN then intersects operators (``is:question``, ``[tag]``, ``score:3`` …) with the
words, and answers "matches among the best-prior rows" without reading every
match (see search/backends/database.py). Rows indexed before this migration get
their markers here, from their columns; ``search_reindex`` rebuilds them the same way.
"""

from django.db import migrations

# What search.backends.database.markers_sql() builds at indexing time (as of this migration).
MARKERS = (
    "array_to_tsvector(array_remove(ARRAY["
    "'~k:' || kind, "
    "CASE WHEN subdomain <> '' THEN '~s:' || subdomain END, "
    "CASE WHEN platform <> '' THEN '~p:' || platform END, "
    "CASE WHEN answered THEN '~answered' ELSE '~unanswered' END, "
    "CASE WHEN accepted THEN '~accepted' ELSE '~unaccepted' END, "
    "'~b1:' || LEAST(GREATEST(floor(prior / 0.02), 0), 1535)::int, "
    "'~b2:' || (LEAST(GREATEST(floor(prior / 0.02), 0), 1535)::int / 8), "
    "'~b3:' || (LEAST(GREATEST(floor(prior / 0.02), 0), 1535)::int / 64)"
    "], NULL) "
    "|| ARRAY(SELECT '~t:' || v FROM jsonb_array_elements_text(tags) v WHERE v <> '') "
    "|| ARRAY(SELECT '~r:' || v FROM jsonb_array_elements_text(resources) v WHERE v <> '') "
    "|| ARRAY(SELECT '~v:' || n FROM unnest(ARRAY[1,2,3,5,10,20,50,100,200,500,1000]) n "
    "WHERE score >= n))"
)
#: A vector without its marker lexemes.
UNMARKED = "ts_delete({v}, ARRAY(SELECT lexeme FROM unnest({v}) WHERE lexeme LIKE '~%%'))"


def _rewrite(value: str):
    """A migration step setting both vectors to ``value`` (SQL over ``{v}``, the vector)."""

    def step(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            "UPDATE search_searchentry SET "  # noqa: S608 - constant SQL
            + ", ".join(f"{v} = {value.format(v=v)}" for v in ("search_vector", "title_vector"))
        )

    return step


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_entry_title_vector"),
    ]

    operations = [
        migrations.RunPython(
            _rewrite("coalesce({v}, ''::tsvector) || " + MARKERS), _rewrite(UNMARKED)
        ),
    ]
