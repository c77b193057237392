from django.contrib import admin

from openhelp.directory.library.models import LibraryEntry
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin


@admin.register(LibraryEntry)
class LibraryEntryAdmin(PrivateTextAdmin):
    list_display = ["title", "mentor", "published_at"]
    list_select_related = ["mentor"]
    search_fields = ["title", "search_text"]
    raw_id_fields = ["debrief", "mentor", "mentee"]
    filter_horizontal = ["skills"]
    readonly_fields = ["search_text", "published_at", "updated_at"]
