"""The whole admin request in the user's chosen language, not only the view.

Wagtail switches to the user's preferred language inside its admin views, but a refusal
(`PermissionDenied`) is turned into the « Sorry, you do not have permission… » message and
redirect outside that switch, so an English mediator read it in French. Activating the language
here, for the whole request to the admin, makes every message, redirect and error page speak it.
Public pages keep the site's French.
"""

from django.urls import reverse
from django.utils import translation


class AdminLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not request.path.startswith(reverse("wagtailadmin_home"))
        ):
            return self.get_response(request)
        # The profile is read once per request: Wagtail's own check finds it cached on the user.
        profile = getattr(user, "wagtail_userprofile", None)
        language = profile.get_preferred_language() if profile is not None else None
        if not language:
            return self.get_response(request)
        with translation.override(language):
            return self.get_response(request)
