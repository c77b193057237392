from django.contrib import admin

from imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "owner", "created_at"]
    readonly_fields = ["token", "owner", "filename", "text", "created_at"]
    search_fields = ["filename", "owner__email"]
