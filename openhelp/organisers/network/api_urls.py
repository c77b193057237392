from django.urls import path

from openhelp.organisers.network import api

urlpatterns = [
    path("insights/network/flow/", api.NetworkFlowView.as_view(), name="network-flow"),
    path(
        "insights/network/knowledge-nodes/", api.KnowledgeNodesView.as_view(), name="network-knowledge-nodes"
    ),
    path(
        "insights/network/knowledge-nodes/recompute/",
        api.KnowledgeNodesRecomputeView.as_view(),
        name="network-recompute",
    ),
    path("insights/network/consent/", api.KnowledgeNodeConsentView.as_view(), name="network-consent"),
]
