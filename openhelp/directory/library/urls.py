from django.urls import path

from openhelp.directory.library import views

app_name = "library"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("suggestions/", views.suggestions_json, name="suggestions"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/withdraw/", views.entry_withdraw, name="withdraw"),
]
