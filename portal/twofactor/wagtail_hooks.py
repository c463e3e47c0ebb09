"""Admin hooks: the two-step pages under /admin/deux-etapes/, the account page's entry, and the
« Réinitialiser la vérification en deux étapes » action on the users listing."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from . import views
from .bulk_actions import ResetTwoFactorBulkAction


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("deux-etapes/", views.manage, name="twofactor_manage"),
        path("deux-etapes/verifier/", views.verify, name="twofactor_verify"),
        path("deux-etapes/activer/", views.setup, name="twofactor_setup"),
        path("deux-etapes/codes-de-secours/", views.renew_codes, name="twofactor_renew_codes"),
        path("deux-etapes/desactiver/", views.disable, name="twofactor_disable"),
    ]


@hooks.register("register_account_menu_item")
def account_menu_item(request):
    return {
        "url": reverse("twofactor_manage"),
        "label": _("Vérification en deux étapes"),
        "help_text": _(
            "Un code de votre téléphone en plus du mot de passe : l'activer, changer "
            "d'application, obtenir de nouveaux codes de secours."
        ),
    }


hooks.register("register_bulk_action", ResetTwoFactorBulkAction)
