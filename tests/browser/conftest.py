"""Browser journeys: the fixtures live in tests/harness/browser.py and are shared from tests/conftest.py."""
