"""Settings for the booking benchmark's server: the real settings, with the URLs of bench/booking_urls.py
(the real app plus one "ceiling" endpoint that exists only in the benchmark)."""

from config.settings import *  # noqa: F403 - the real settings, one override below

ROOT_URLCONF = "bench.booking_urls"
