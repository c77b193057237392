from django.urls import path

from openhelp.organisers.network import views

app_name = "network"

urlpatterns = [
    path("", views.flow, name="flow"),
    path("flow.csv", views.flow_csv, name="flow-csv"),
    path("knowledge-nodes/", views.knowledge_nodes, name="knowledge-nodes"),
    path("knowledge-nodes.csv", views.knowledge_nodes_csv, name="knowledge-nodes-csv"),
    path("knowledge-nodes/recompute/", views.recompute, name="recompute"),
    path("my-name/", views.my_name, name="my-name"),
]
