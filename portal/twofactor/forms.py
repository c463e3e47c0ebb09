from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class AppCodeForm(CodeForm):
    """Set-up: the 6 digits the app shows, so digits only on a phone's keyboard."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code à 6 chiffres affiché par l'application")
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})


class VerifyForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code à 6 chiffres, ou un code de secours")
