"""allauth's own admin for providers and tokens is not used: identity providers are set up on the
organisers' SSO pages (the client secret encrypted on ``IdentityProvider``), and tokens are not stored
(``SOCIALACCOUNT_STORE_TOKENS = False``). Linked accounts stay visible in allauth's admin."""

from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin

for model in (SocialApp, SocialToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
