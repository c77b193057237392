from django.urls import path

from openhelp.directory.skills import api

urlpatterns = [
    path("skills/", api.SkillListView.as_view(), name="skill-list"),
    path("skills/autocomplete/", api.SkillAutocompleteView.as_view(), name="skill-autocomplete"),
    path("skills/propose/", api.SkillProposeView.as_view(), name="skill-propose"),
    path("skills/<slug:slug>/", api.SkillDetailView.as_view(), name="skill-detail"),
    path("skills/<slug:slug>/approve/", api.SkillApproveView.as_view(), name="skill-approve"),
    path("skills/<slug:slug>/merge/", api.SkillMergeView.as_view(), name="skill-merge"),
    path("skills/<slug:slug>/reject/", api.SkillRejectView.as_view(), name="skill-reject"),
    path("skills/<slug:slug>/rename/", api.SkillRenameView.as_view(), name="skill-rename"),
]
