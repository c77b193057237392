from django import template
from django.utils.html import format_html, format_html_join

from openhelp.platform.lib.timezones import available_timezones

register = template.Library()


@register.simple_tag
def timezone_datalist(element_id: str = "timezone-options"):
    """A <datalist> of every IANA zone, so the time zone field suggests names as you type."""
    options = format_html_join("", '<option value="{}">', ((name,) for name in available_timezones()))
    return format_html('<datalist id="{}">{}</datalist>', element_id, options)
