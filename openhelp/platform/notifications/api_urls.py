from django.urls import path

from openhelp.platform.notifications import api

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="notification-list"),
    path("notifications/unread-count/", api.UnreadCountView.as_view(), name="notification-unread-count"),
    path("notifications/<int:notification_id>/read/", api.MarkReadView.as_view(), name="notification-read"),
    path("notifications/read-all/", api.MarkAllReadView.as_view(), name="notification-read-all"),
    path("notifications/preferences/", api.PreferencesView.as_view(), name="notification-preferences"),
]
