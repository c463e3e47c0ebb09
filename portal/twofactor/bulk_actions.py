"""« Réinitialiser la vérification en deux étapes »: an administrator removes the devices of
accounts that lost their phone and their recovery codes. They enrol again at their next visit."""

from django.utils.translation import gettext_lazy as _

from wagtail.users.views.bulk_actions.user_bulk_action import UserBulkAction

from . import devices


class ResetTwoFactorBulkAction(UserBulkAction):
    display_name = _("Réinitialiser la vérification en deux étapes")
    action_type = "reset_two_factor"
    aria_label = _("Réinitialiser la vérification en deux étapes des comptes choisis")
    template_name = "twofactor/bulk_reset.html"
    action_priority = 60

    def check_perm(self, obj):
        return self.request.user.is_superuser

    @classmethod
    def execute_action(cls, objects, **kwargs):
        for user in objects:
            devices.reset(user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _(
            "Vérification en deux étapes réinitialisée pour %(count)s compte(s) : ils la "
            "configureront à nouveau à leur prochaine connexion."
        ) % {"count": num_parent_objects}
