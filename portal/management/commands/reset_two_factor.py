"""`manage.py reset_two_factor USERNAME…`: remove an account's two-step devices (lost phone and
recovery codes). The account sets the verification up again at its next login if it must."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.twofactor import devices


class Command(BaseCommand):
    help = (
        "Réinitialise la vérification en deux étapes des comptes donnés : leur application "
        "d'authentification et leurs codes de secours ne servent plus ; ils la configurent "
        "à nouveau à leur prochaine connexion. Vérifiez d'abord l'identité de la personne."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="username")

    def handle(self, *args, usernames: list[str], **options):
        User = get_user_model()
        users = []
        for username in usernames:
            try:
                users.append(User.objects.get_by_natural_key(username))
            except User.DoesNotExist:
                raise CommandError(f"Aucun compte « {username} ».") from None
        for user in users:
            removed = devices.reset(user)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{user.get_username()} : vérification en deux étapes réinitialisée "
                    f"({removed} dispositif(s) supprimé(s))."
                )
            )
