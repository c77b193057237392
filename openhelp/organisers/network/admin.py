from django.contrib import admin

from openhelp.organisers.network.models import KnowledgeNodeConsent, KnowledgeSnapshot
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin


@admin.register(KnowledgeSnapshot)
class KnowledgeSnapshotAdmin(PrivateTextAdmin):
    list_display = ["computed_at", "people", "links", "sample_size", "duration_ms"]


@admin.register(KnowledgeNodeConsent)
class KnowledgeNodeConsentAdmin(PrivateTextAdmin):
    list_display = ["user", "named", "updated_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
