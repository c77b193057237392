from django.urls import path

from openhelp.integrations.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("new/", views.endpoint_new, name="new"),
    path("<int:pk>/", views.endpoint_detail, name="detail"),
    path("<int:pk>/edit/", views.endpoint_edit, name="edit"),
    path("<int:pk>/delete/", views.endpoint_delete, name="delete"),
    path("<int:pk>/enable/", views.endpoint_enable, name="enable"),
    path("<int:pk>/test/", views.endpoint_test, name="test"),
    path("<int:pk>/rotate-secret/", views.endpoint_rotate, name="rotate"),
    path("<int:pk>/deliveries/<int:delivery_pk>/replay/", views.delivery_replay, name="replay"),
]
