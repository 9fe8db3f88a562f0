"""Replace Wagtail's placeholder welcome page with Huiju's HomePage as the site root."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("knowledge.HomePage")

    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore", content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    homepage_content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="knowledge")
    locale = Locale.objects.order_by("pk").first()
    homepage = HomePage.objects.create(
        title="匯聚 Huiju",
        draft_title="匯聚 Huiju",
        slug="home",
        content_type=homepage_content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=locale.pk if locale else None,
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "site_name": "Huiju 匯聚", "root_page": homepage},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("knowledge.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
