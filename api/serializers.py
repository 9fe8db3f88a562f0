"""Public representations of Huiju content for the API."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.i18n import localized
from knowledge.models import OpenResource, Platform, ResourceVersion, Subdomain


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's, refusing NUL characters with a 400 before they reach the database (PostgreSQL
    cannot compare text containing NUL, so the lookup would end in a server error)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


@extend_schema_field(
    {
        "type": "object",
        "properties": {lang: {"type": "string"} for lang in ("zh-hans", "zh-hant", "en")},
        "readOnly": True,
    }
)
class LocalizedNamesField(serializers.Field):
    """``{"zh-hans": …, "zh-hant": …, "en": …}`` for a localized model field."""

    def __init__(self, base: str, **kwargs):
        self.base = base
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj) -> dict[str, str]:
        return {
            "zh-hans": getattr(obj, f"{self.base}_zh_hans"),
            "zh-hant": getattr(obj, f"{self.base}_zh_hant"),
            "en": getattr(obj, f"{self.base}_en"),
        }


class TagListField(serializers.ListField):
    """Tag names in, sorted tag names out (from a prefetched tag manager)."""

    def to_representation(self, value) -> list[str]:
        return sorted(tag.name for tag in value.all())


class SubdomainSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    names = LocalizedNamesField("name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Subdomain
        fields = ["slug", "name", "names", "url"]

    def get_name(self, obj) -> str:
        return localized(obj, "name")

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class PlatformSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    names = LocalizedNamesField("name")
    subdomain = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Platform
        fields = ["slug", "name", "names", "subdomain", "year_designated", "website"]

    def get_name(self, obj) -> str:
        return localized(obj, "name")


class ResourceVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResourceVersion
        fields = ["version", "released_on", "notes"]

    def validate_version(self, value: str) -> str:
        value = value.strip()
        resource = self.context.get("resource")
        existing = ResourceVersion.objects.filter(resource=resource, version=value)
        if self.instance is not None:
            existing = existing.exclude(pk=self.instance.pk)
        if resource is not None and existing.exists():
            raise serializers.ValidationError("This resource already has that version.")
        return value


class OpenResourceSerializer(serializers.ModelSerializer):
    platform = SlugRelatedField(slug_field="slug", queryset=Platform.objects.all())
    subdomain = serializers.SlugRelatedField(
        source="platform.subdomain", slug_field="slug", read_only=True
    )
    summary = serializers.SerializerMethodField()
    summaries = LocalizedNamesField("summary")
    summary_zh_hans = serializers.CharField(write_only=True, required=False, allow_blank=True)
    summary_zh_hant = serializers.CharField(write_only=True, required=False, allow_blank=True)
    summary_en = serializers.CharField(write_only=True, required=False, allow_blank=True)
    tags = TagListField(child=serializers.CharField(max_length=50), required=False, max_length=10)
    versions = ResourceVersionSerializer(many=True, read_only=True)
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = OpenResource
        fields = [
            "slug",
            "name",
            "kind",
            "platform",
            "subdomain",
            "summary",
            "summaries",
            "summary_zh_hans",
            "summary_zh_hant",
            "summary_en",
            "licence",
            "access",
            "url",
            "docs_url",
            "tags",
            "versions",
            "html_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_summary(self, obj) -> str:
        return localized(obj, "summary")

    def get_html_url(self, obj) -> str:
        return obj.get_absolute_url()

    def validate_platform(self, platform: Platform) -> Platform:
        user = self.context["request"].user
        if not user.is_superuser and not platform.staff.filter(pk=user.pk).exists():
            raise serializers.ValidationError("You are not staff of this platform.")
        if self.instance is not None and self.instance.platform_id != platform.pk:
            raise serializers.ValidationError("A resource cannot move to another platform.")
        return platform

    @transaction.atomic
    def create(self, validated_data):
        tags = validated_data.pop("tags", None)
        resource = OpenResource(**validated_data)
        if tags is not None:
            resource.tags.set(tags)
        resource.save()  # a ClusterableModel commits its tags on save
        return resource

    @transaction.atomic
    def update(self, instance, validated_data):
        tags = validated_data.pop("tags", None)
        for field, value in validated_data.items():
            setattr(instance, field, value)
        if tags is not None:
            instance.tags.set(tags)
        instance.save()  # commits the tags too
        return instance
