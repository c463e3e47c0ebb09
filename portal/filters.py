"""Filter forms read from the query string: an invalid value is left out, with its French message."""

from datetime import date

from django import forms


class QueryFilterForm(forms.Form):
    def valid_filters(self) -> dict:
        """Each valid, non-empty value; a field in error is simply left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }

    def query_params(self) -> dict[str, str]:
        """The valid filters as they go back into a URL (feed link, pagination)."""
        params = {}
        for name, value in self.valid_filters().items():
            if hasattr(value, "slug"):
                params[name] = value.slug
            elif isinstance(value, date):
                params[name] = value.isoformat()
            else:
                params[name] = value
        return params
