from django.contrib import admin

from network.models import KnowledgeNodeConsent, KnowledgeSnapshot


@admin.register(KnowledgeSnapshot)
class KnowledgeSnapshotAdmin(admin.ModelAdmin):
    list_display = ["computed_at", "people", "links", "sample_size", "duration_ms"]


@admin.register(KnowledgeNodeConsent)
class KnowledgeNodeConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "named", "updated_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
