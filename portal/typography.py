"""French typography on the public pages: no line break before « : ; ! ? » or inside « ».

French sets a space before the high punctuation marks and inside guillemets; left as an ordinary
space, a phone's narrow screen breaks the line there and the « ? » or « » » starts a line of its
own. Templates, translations and what mediators type in the CMS all write an ordinary space, so
the rule is applied once, to the HTML of each public page: a narrow no-break space (U+202F)
before « ; ! ? », a no-break space (U+00A0) before « : » and inside « », as the Imprimerie
nationale's rules have it. Only existing spaces are replaced (« 14:30 », « ?q= » and URLs are
left alone) and only in text a person reads: never in tags, attributes, comments, scripts,
styles, <pre>, <code> or <textarea>.
"""

import re

NARROW = "\u202f"
NO_BREAK = "\u00a0"

# A tag (attribute values may hold « > »), a comment, or a doctype / processing instruction.
TOKEN = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
RAW = {"script", "style", "pre", "code", "textarea"}
TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)")

SPACES = "[ \t\r\n]+"
# After a word, or at the start of a run of text (« <strong>Attention</strong> ! »).
AFTER_WORD = r"(?:(?<=\S)|^)"
BEFORE_NARROW = re.compile(rf"{AFTER_WORD}{SPACES}(?=[;!?]+(?:\s|$|[»)\"'.]))")
BEFORE_COLON = re.compile(rf"{AFTER_WORD}{SPACES}(?=:(?:\s|$))")
BEFORE_CLOSING = re.compile(rf"{AFTER_WORD}{SPACES}(?=»)")
AFTER_OPENING = re.compile(rf"«{SPACES}(?=\S)")


def set_text(text: str) -> str:
    """One run of text, no tags: the spaces of French punctuation made unbreakable."""
    if not any(mark in text for mark in ";!?:«»"):
        return text
    text = BEFORE_NARROW.sub(NARROW, text)
    text = BEFORE_COLON.sub(NO_BREAK, text)
    text = BEFORE_CLOSING.sub(NO_BREAK, text)
    return AFTER_OPENING.sub("«" + NO_BREAK, text)


def set_html(html: str) -> str:
    """The HTML with `set_text` applied to the text outside tags and raw elements."""
    out, position, raw = [], 0, None
    for match in TOKEN.finditer(html):
        text = html[position : match.start()]
        out.append(text if raw else set_text(text))
        tag = match.group()
        out.append(tag)
        position = match.end()
        name = TAG_NAME.match(tag)
        if not name:
            continue
        name_lower = name.group(1).lower()
        if raw is None and name_lower in RAW and not tag.startswith("</"):
            raw = name_lower
        elif raw == name_lower and tag.startswith("</"):
            raw = None
    tail = html[position:]
    out.append(tail if raw else set_text(tail))
    return "".join(out)


def typeset(response):
    """`set_html` on a rendered French HTML response (a post-render callback of print pages)."""
    if response.streaming or response.get("Content-Encoding"):
        return response
    if not response.get("Content-Type", "").startswith("text/html"):
        return response
    charset = response.charset or "utf-8"
    response.content = set_html(response.content.decode(charset)).encode(charset)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response


class FrenchTypographyMiddleware:
    """`typeset` on the pages of the public site. The admin is Wagtail's, except our printed
    matter (posters, sign-in sheets), set by `portal.pdf.printable` wherever it is served."""

    EXCLUDED_PREFIXES = ("/admin/", "/django-admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.EXCLUDED_PREFIXES):
            return response
        if not getattr(request, "LANGUAGE_CODE", "fr").startswith("fr"):
            return response
        return typeset(response)
