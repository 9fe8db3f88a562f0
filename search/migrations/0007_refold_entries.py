"""Queue the entries that folding now treats differently for indexing again.

- Folding used to turn Simplified 么 into 幺 (OpenCC tw2sp reads it as the variant
  of 幺), so 怎么 was indexed as 怎幺 while a Traditional query 怎麼 looked for 怎么;
  search/text.py now keeps 么 (and settles 苧 to 苎).
- Taiwan's AI words that tw2sp leaves alone now meet the mainland ones (雷射 →
  激光, 辨识 → 识别, 侦测 → 检测 …, ``search.text.DOMAIN_WORDS``).

The entries whose folded text holds one of the old forms go to the indexing outbox,
and ``search_drain`` rebuilds them from their content. (An Elasticsearch index keeps
no folded column here: run ``manage.py search_reindex`` after upgrading.)
"""

from functools import reduce
from operator import or_

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

BATCH = 1_000
#: What the old folding left in the folded text, as of this migration.
OLD_FORMS = (
    "幺",
    "苧",
    "雷射",
    "光达",
    "光学雷达",
    "辨识",
    "侦测",
    "边缘运算",
    "云端运算",
    "推论",
)


def queue_refolded(apps, schema_editor):
    entry = apps.get_model("search", "SearchEntry")
    outbox = apps.get_model("search", "SearchOutbox")
    now = timezone.now()
    holds_old_form = reduce(or_, (Q(folded__contains=form) for form in OLD_FORMS))
    keys = entry.objects.filter(holds_old_form).order_by("id").values_list("kind", "object_id")
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
