from django.contrib import admin

from openhelp.organisers.imports.models import ImportBatch
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin


@admin.register(ImportBatch)
class ImportBatchAdmin(PrivateTextAdmin):
    private_fields = ("text",)  # the uploaded file is its owner's, kept an hour between preview and apply
    list_display = ["filename", "owner", "created_at"]
    readonly_fields = ["token", "owner", "filename", "text", "created_at"]
    search_fields = ["filename", "owner__email"]
