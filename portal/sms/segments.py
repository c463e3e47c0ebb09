"""How many SMS a text costs, by the GSM 03.38 rule (3GPP TS 23.038), and French made to fit.

A text made only of the GSM 7-bit default alphabet, plus its extension table, is sent in GSM-7:
160 septets in a single SMS, 153 per part once concatenated (the 7 others carry the User Data
Header). An extension character is an escape plus a septet, so it counts 2, and is never split
across two parts. Any other character sends the whole text in UCS-2: 70 UTF-16 code units
alone, 67 per part, an emoji outside the Basic Multilingual Plane being 2 units (a surrogate
pair, never split either).

French needs ê, â, î, ô, û, ç, œ, which are not in the default alphabet: one of them turns a
160-character message into 3 UCS-2 parts. `to_gsm` writes them as their closest GSM-7 letters
(é è à ù ì ò É Ç and ä ö ñ ü Ä Ö Ñ Ü are in the alphabet and stay).
"""

import re
import unicodedata

# The default alphabet, in code order 0x00-0x7F (0x1B is the escape to the extension table).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: escape + one septet each. \f is the page break (0x1B 0x0A).
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# French (and a few neighbours') letters outside the alphabet, and typography a word processor
# or a phone keyboard puts in: the closest GSM-7 form. Letters that are in the alphabet are not
# listed (é, è, à, ù, ì, ò, É, Ç, ä, ö, ñ, ü, Ä, Ö, Ñ, Ü, æ, Æ, ß, ø, Ø, å, Å).
TRANSLITERATION = {
    # Lower case.
    "â": "a",
    "á": "a",
    "ã": "a",
    "ç": "c",
    "ê": "e",
    "ë": "e",
    "î": "i",
    "ï": "i",
    "í": "i",
    "ô": "o",
    "ó": "o",
    "õ": "o",
    "û": "u",
    "ú": "u",
    "ÿ": "y",
    "œ": "oe",
    # Upper case (only É and Ç are in the alphabet).
    "À": "A",
    "Â": "A",
    "Á": "A",
    "Ã": "A",
    "È": "E",
    "Ê": "E",
    "Ë": "E",
    "Î": "I",
    "Ï": "I",
    "Í": "I",
    "Ô": "O",
    "Ó": "O",
    "Õ": "O",
    "Ù": "U",
    "Û": "U",
    "Ú": "U",
    "Ÿ": "Y",
    "Œ": "OE",
    # Apostrophes and quotes.
    "’": "'",
    "‘": "'",
    "‚": "'",
    "′": "'",
    "´": "'",
    "`": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "″": '"',
    "«": '"',
    "»": '"',
    # Dashes and hyphens.
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
    # Spaces: no-break (before ; : ! ? in French), narrow no-break, thin, figure, tab.
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2007": " ",
    "\u200a": " ",
    "\t": " ",
    # Other French typography.
    "…": "...",
    "·": ".",  # inclusive writing: « inscrit·e »
    "•": "-",
    "°": "o",  # « n° 12 »
    "º": "o",
    "ª": "a",
    "×": "x",
    "\u200b": "",  # zero-width space
    "\u00ad": "",  # soft hyphen
}
# « Bonjour » keeps no space inside its straight quotes: "Bonjour".
SPACES = "[ \u00a0\u202f\u2009]*"
OPENING_GUILLEMET = re.compile(f"«{SPACES}")
CLOSING_GUILLEMET = re.compile(f"{SPACES}»")


def _nfc(text: str) -> str:
    """Composed form: an « é » typed as e + combining accent is the alphabet's é."""
    return unicodedata.normalize("NFC", text)


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in _nfc(text))


def encoding(text: str) -> str:
    """ "GSM-7" when every character is in the default alphabet or its extension, else "UCS-2"."""
    return GSM7 if is_gsm7(text) else UCS2


def _units(text: str) -> tuple[list[int], int, int]:
    """The size of each character in its encoding's units, and that encoding's two limits."""
    text = _nfc(text)
    if is_gsm7(text):
        return [2 if char in GSM7_EXTENSION else 1 for char in text], GSM7_SINGLE, GSM7_PART
    return [2 if ord(char) > 0xFFFF else 1 for char in text], UCS2_SINGLE, UCS2_PART


def segments(text: str) -> int:
    """How many SMS the text is sent as (0 for an empty text)."""
    sizes, single, part = _units(text)
    total = sum(sizes)
    if total <= single:
        return 1 if total else 0
    # Concatenated: a character (an escape pair, a surrogate pair) never straddles two parts.
    count, used = 1, 0
    for size in sizes:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count


def length(text: str) -> int:
    """The text's size in its encoding's units (septets for GSM-7, UTF-16 units for UCS-2)."""
    return sum(_units(text)[0])


def _closest(char: str) -> str:
    if char in GSM7_BASIC or char in GSM7_EXTENSION:
        return char
    if char in TRANSLITERATION:
        return TRANSLITERATION[char]
    # Any other accented Latin letter (ā, ę, ő…): the letter without its marks, if that is GSM-7.
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare if bare and is_gsm7(bare) else char


def to_gsm(text: str) -> str:
    """The text with French letters and typography outside GSM-7 written in their GSM-7 form.

    Characters with no GSM-7 form (an emoji, a Chinese character) are kept: such a text stays
    UCS-2, see `prepare`.
    """
    text = _nfc(text)
    text = CLOSING_GUILLEMET.sub("»", OPENING_GUILLEMET.sub("«", text))
    return "".join(_closest(char) for char in text)


def prepare(text: str) -> str:
    """What to send: the GSM-7 form when it is all GSM-7, else the text as written.

    Transliterating only pays when it removes every UCS-2 character: a message that keeps an
    emoji is UCS-2 anyway, and there the accents cost nothing and œ → oe would cost one unit.
    """
    text = _nfc(text)
    if is_gsm7(text):
        return text
    transliterated = to_gsm(text)
    return transliterated if is_gsm7(transliterated) else text
