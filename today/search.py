"""One search from the header across people, skills, asks and the library."""

from __future__ import annotations

from django.shortcuts import render


def search(request):
    return render(request, "core/home.html")
