"""Prior bands as nested markers (PostgreSQL): "band ≥ t" becomes one lexeme.

Before, a row carried its band at three granularities (``~b1:``, ``~b2:``, ``~b3:``)
and "band ≥ t" was an OR of up to 38 small lists; GIN walks every list of such a union
when each is rarer than the query's words, however common those words are. Now a
row carries ``~g:k`` for its band (0.04 wide) and the 15 below it, so GIN walks the
shorter of the words' list and the band's (see search/backends/database.py).
``search_reindex`` builds the same markers.
"""

from importlib import import_module

from django.db import migrations

# The same UPDATE of both vectors as 0004 (a migration's code does not change once released).
_rewrite = import_module("search.migrations.0004_entry_markers")._rewrite

# As search.backends.database.BAND_SQL and markers_sql() build them (as of this migration).
NEW_BAND = "LEAST(GREATEST(floor(prior / 0.04), 0), 767)::int"
NESTED = (
    "array_to_tsvector(ARRAY(SELECT '~g:' || g FROM "
    f"generate_series(GREATEST({NEW_BAND} - 15, 0), {NEW_BAND}) g))"
)
# As migration 0004 built them.
OLD_BAND = "LEAST(GREATEST(floor(prior / 0.02), 0), 1535)::int"
LEVELS = (
    f"array_to_tsvector(ARRAY['~b1:' || {OLD_BAND}, '~b2:' || ({OLD_BAND} / 8), "
    f"'~b3:' || ({OLD_BAND} / 64)])"
)


def _without(prefix: str) -> str:
    """SQL: the vector ``{v}`` without its lexemes starting with ``prefix``."""
    return (
        "ts_delete({v}, ARRAY(SELECT lexeme FROM unnest({v}) "
        f"WHERE lexeme LIKE '{prefix}%%'))"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_entry_storage"),
    ]

    operations = [
        migrations.RunPython(
            _rewrite(_without("~b") + " || " + NESTED),
            _rewrite(_without("~g:") + " || " + LEVELS),
        ),
    ]
