from django.urls import path

from openhelp.integrations.sso import views

app_name = "sso"

urlpatterns = [
    path("login/", views.company_login, name="company-login"),
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/new/", views.provider_create, name="provider-create"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("providers/<int:pk>/check/", views.provider_check, name="provider-check"),
]
