"""Keeps both admins closed to a session that has not passed two-step verification.

Every URL under /admin/ and /django-admin/ answers an unverified staff session with a redirect:
to the code page when the account has a device, to the set-up page when the policy requires
one. Left open: login, logout, password reset, the two-step pages themselves, and the admin's
JavaScript catalogue and icon sprite (which those pages load). Static files are not under these
prefixes. Must come after django_otp.middleware.OTPMiddleware, which sets user.is_verified().
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property

from . import policy

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def open_paths(self) -> tuple[str, ...]:
        """Computed on first use, once the URLconf is loaded."""
        exact = (
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_logout"),
            reverse("wagtailadmin_javascript_catalog"),
            reverse("wagtailadmin_sprite"),
            reverse("admin:login"),
            reverse("admin:logout"),
            reverse("twofactor_verify"),
            reverse("twofactor_setup"),
        )
        return exact

    @cached_property
    def open_prefixes(self) -> tuple[str, ...]:
        return (reverse("wagtailadmin_password_reset"),)

    def is_open(self, path: str) -> bool:
        return path in self.open_paths or path.startswith(self.open_prefixes)

    def __call__(self, request):
        path = request.path_info
        if path.startswith(ADMIN_PREFIXES) and not self.is_open(path):
            target = self.redirect_for(request.user)
            if target is not None:
                next_url = request.get_full_path()
                return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
        return self.get_response(request)

    @staticmethod
    def redirect_for(user) -> str | None:
        if not policy.has_admin_access(user) or user.is_verified():
            return None
        if policy.is_enrolled(user):
            return "twofactor_verify"
        if policy.must_enrol(user):
            return "twofactor_setup"
        return None
