"""Queue the entries whose text held 么 (or 薴) for indexing again.

Folding used to turn Simplified 么 into 幺 (OpenCC tw2sp reads it as the variant of
幺), so 怎么 was indexed as 怎幺 while a Traditional query 怎麼 looked for 怎么.
search/text.py now keeps 么. The entries this touched hold 幺 or 苧 in their folded
text; they go to the indexing outbox, and ``search_drain`` rebuilds them from their
content. (An Elasticsearch index keeps no folded column here: run
``manage.py search_reindex`` after upgrading.)
"""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

BATCH = 1_000


def queue_refolded(apps, schema_editor):
    entry = apps.get_model("search", "SearchEntry")
    outbox = apps.get_model("search", "SearchOutbox")
    now = timezone.now()
    keys = (
        entry.objects.filter(Q(folded__contains="幺") | Q(folded__contains="苧"))
        .order_by("id")
        .values_list("kind", "object_id")
    )
    batch = []
    for kind, object_id in keys.iterator(chunk_size=BATCH):
        batch.append(
            outbox(
                kind=kind,
                object_id=object_id,
                op="upsert",
                enqueued_at=now,
                next_attempt_at=now,
            )
        )
        if len(batch) >= BATCH:
            outbox.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    outbox.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_entry_nested_bands"),
    ]

    operations = [
        migrations.RunPython(queue_refolded, migrations.RunPython.noop),
    ]
