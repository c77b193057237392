"""The real app's URLs plus two endpoints that exist only in the benchmark:

* the ceiling: the cheapest useful request this stack serves — the full middleware stack and one indexed
  read (a user by primary key) answered as JSON — so booking throughput can be reported as a share of
  what the same server does at best;
* the API floor: the same read behind everything an API request goes through before its view does any
  work (DRF, personal-access-token authentication, the throttle, content negotiation) — the least any
  authenticated API call costs, so the distance between it and the ceiling is not blamed on booking."""

from django.http import JsonResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as app_urlpatterns


def ceiling(request, pk: int):
    from openhelp.platform.accounts.models import User

    return JsonResponse({"id": User.objects.filter(pk=pk).values_list("pk", flat=True).first()})


class ApiFloor(APIView):
    schema = None  # not part of the API

    def get(self, request):
        from openhelp.platform.accounts.models import User

        return Response({"id": User.objects.filter(pk=request.user.pk).values_list("pk", flat=True).first()})


urlpatterns = [
    path("bench/ceiling/<int:pk>/", ceiling),
    path("bench/api-floor/", ApiFloor.as_view()),
    *app_urlpatterns,
]
