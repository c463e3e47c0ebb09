"""Security headers: a strict Content-Security-Policy on public pages, a workable one in the
admin (Wagtail's admin needs inline scripts and styles), and a Permissions-Policy."""

from csp.constants import NONE, SELF
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# The admin: still no other origin, but inline code is allowed (no nonce, which would cancel
# 'unsafe-inline'), and the page preview frames the site itself.
ADMIN_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, "'unsafe-inline'"],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            return PolicyParts(config=ADMIN_POLICY)
        return parts


class PermissionsPolicyMiddleware:
    """The portal uses no sensor, camera, microphone or payment: say so to the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
