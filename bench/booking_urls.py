"""The real app's URLs plus the benchmark's ceiling: the cheapest useful request this stack serves — the
full middleware stack and one indexed read (a user by primary key) answered as JSON — so booking
throughput can be reported as a share of what the same server does at best."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def ceiling(request, pk: int):
    from accounts.models import User

    return JsonResponse({"id": User.objects.filter(pk=pk).values_list("pk", flat=True).first()})


urlpatterns = [path("bench/ceiling/<int:pk>/", ceiling), *app_urlpatterns]
