from django.contrib import admin

from goals.models import LearningGoal


@admin.register(LearningGoal)
class LearningGoalAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "target_date", "achieved_at"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["skills"]
    search_fields = ["title", "owner__email"]
