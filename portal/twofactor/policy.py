"""Who must use two-step verification.

- Administrators (superusers) and managers (a « Responsables – … » group): always.
- Mediators (only « Médiateurs – … » groups): when the site setting « Exiger la vérification en
  deux étapes pour les médiateurs » is on; otherwise they may enrol from their account page.
- Any other account that reaches an admin (a group of another name, a permission given by hand,
  Django's `is_staff`): like a manager. Only an account known to be a mediator gets the option.
- Whoever has a confirmed device verifies at every login, required or not.

`TWO_FACTOR_REQUIRED = False` (development and tests by default; never in production) makes
enrolment optional for everyone; enrolled accounts still verify.
"""

from django_otp import user_has_device

from django.conf import settings

MANAGER_PREFIX = "Responsables – "
MEDIATOR_PREFIX = "Médiateurs – "


def has_admin_access(user) -> bool:
    """The accounts the policy covers: those that can open the Wagtail or the Django admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin")


def mediators_must_enrol() -> bool:
    from portal.models import PortalSettings

    # On any site: an account is not tied to a host, and a request's host is the client's word.
    return PortalSettings.objects.filter(require_two_factor_for_mediators=True).exists()


def must_enrol(user) -> bool:
    """Whether the account may not use the admin without a confirmed device."""
    if not getattr(settings, "TWO_FACTOR_REQUIRED", True) or not has_admin_access(user):
        return False
    if user.is_superuser:
        return True
    names = list(user.groups.values_list("name", flat=True))
    if any(name.startswith(MANAGER_PREFIX) for name in names):
        return True
    if names and all(name.startswith(MEDIATOR_PREFIX) for name in names):
        return mediators_must_enrol()
    return True


def is_enrolled(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def needs_verification(user) -> bool:
    """Enrolled, and this session has not given a code yet."""
    return is_enrolled(user) and not user.is_verified()
