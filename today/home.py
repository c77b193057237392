"""The signed-in home: what needs me today. Anonymous visitors see the introduction (core/home.html)."""

from __future__ import annotations

from django.shortcuts import render


def home(request):
    return render(request, "core/home.html")
