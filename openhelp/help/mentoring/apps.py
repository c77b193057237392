from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "openhelp.help.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring sessions (agenda, notes, debrief, attendance)"
