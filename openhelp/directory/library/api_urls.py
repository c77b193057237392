from django.urls import path

from openhelp.directory.library import api

urlpatterns = [
    path("library/", api.LibraryListView.as_view(), name="library-list"),
    path("library/suggestions/", api.LibrarySuggestionsView.as_view(), name="library-suggestions"),
    path("library/<int:pk>/", api.LibraryDetailView.as_view(), name="library-detail"),
]
