"""One search API over every content kind: ``search.query(text, filters, sort, page)``.

The parser lives in the ``search.query`` module; importing it here first means
the package attribute ``search.query`` is the function defined below (always
import the parser as ``from search.query import parse``).
"""

from search.query import parse as parse_query  # noqa: F401  (binds the submodule first)


def query(text="", filters=None, sort="relevance", page=1, **options):
    """Search everything; see :func:`search.selectors.search_query`."""
    from search.selectors import search_query

    return search_query(text, filters, sort, page, **options)
