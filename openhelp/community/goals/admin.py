from django.contrib import admin

from openhelp.community.goals.models import LearningGoal
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin


@admin.register(LearningGoal)
class LearningGoalAdmin(PrivateTextAdmin):
    private_fields = ("title", "why")  # a goal is its owner's alone
    list_display = ["pk", "owner", "target_date", "achieved_at"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["skills"]
    search_fields = ["owner__email"]
