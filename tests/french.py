"""Expected texts as the public pages set them (portal/typography.py): `fr("Motif : Grève")`
is « Motif », a no-break space, « : Grève ». The rule itself is tested in
tests/portal/test_typography_rules.py."""

from portal.typography import set_text as fr

__all__ = ["fr"]
