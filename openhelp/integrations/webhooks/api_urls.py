from django.urls import path

from openhelp.integrations.webhooks import api

urlpatterns = [
    path("webhooks/endpoints/", api.EndpointListView.as_view(), name="webhook-endpoints"),
    path("webhooks/endpoints/<int:pk>/", api.EndpointDetailView.as_view(), name="webhook-endpoint"),
    path(
        "webhooks/endpoints/<int:pk>/enable/",
        api.EndpointEnableView.as_view(),
        name="webhook-endpoint-enable",
    ),
    path(
        "webhooks/endpoints/<int:pk>/rotate-secret/",
        api.EndpointRotateView.as_view(),
        name="webhook-endpoint-rotate",
    ),
    path("webhooks/endpoints/<int:pk>/test/", api.EndpointTestView.as_view(), name="webhook-endpoint-test"),
    path(
        "webhooks/endpoints/<int:pk>/deliveries/",
        api.EndpointDeliveriesView.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "webhooks/endpoints/<int:pk>/deliveries/<int:delivery_pk>/replay/",
        api.DeliveryReplayView.as_view(),
        name="webhook-delivery-replay",
    ),
    path("webhooks/event-kinds/", api.EventKindsView.as_view(), name="webhook-event-kinds"),
]
