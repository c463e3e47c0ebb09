"""SMS layer: the GSM 03.38 count, French made to fit one SMS, and the development backends."""

import pytest

from django.core.exceptions import ImproperlyConfigured

from portal import sms
from portal.sms import SmsError, encoding, get_backend, segments, send_sms, to_gsm
from portal.sms.segments import GSM7_BASIC, GSM7_EXTENSION, TRANSLITERATION, length, prepare

LOCMEM = "portal.sms.backends.locmem.SmsBackend"
NUMBER = "+33612345678"

# Typed as a mediator would, with French typography: no-break spaces before « : » and inside
# guillemets, a typographic apostrophe, ê and ç outside GSM-7.
CONFIRMATION = (
    "Bonjour, votre inscription à la «\u00a0Fête des voisins\u00a0» du vendredi 6 juin à 18h30 "
    "est confirmée. Rendez-vous square des Tilleuls. Annuler\u00a0: 01 23 45 67 89"
)
CANCELLATION = (
    "Annulé : la sortie au marché de Noël du samedi 14 décembre est annulée (météo). Nous "
    "sommes désolés. Votre réf. K7PM2Q. Infos : 01 23 45 67 89 – Trait d’union"
)


@pytest.fixture
def outbox(settings):
    settings.SMS_BACKEND = LOCMEM
    settings.SMS_SENDER = "TraitUnion"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


class TestTables:
    """The tables themselves, against 3GPP TS 23.038."""

    def test_basic_alphabet_is_the_128_codes_but_the_escape(self):
        assert len(GSM7_BASIC) == 127
        assert "\x1b" not in GSM7_BASIC

    def test_extension_table(self):
        assert set("\f^{}\\[~]|€") == GSM7_EXTENSION
        assert not GSM7_EXTENSION & GSM7_BASIC

    @pytest.mark.parametrize("char", "éèàùìòÉÇÄÖÑÜäöñüæÆßøØåÅ@£$¥¤§¡¿_ΔΦΓΛΩΠΨΣΘΞ\n\r")
    def test_in_the_basic_alphabet(self, char):
        assert char in GSM7_BASIC

    @pytest.mark.parametrize("char", "êëâîïôûçœŒÀÂÈÊËÎÏÔÙÛŸÿáíóú’«»–—…°·\u00a0\u202f`\t")
    def test_not_in_gsm7(self, char):
        assert encoding(char) == "UCS-2"

    def test_every_transliteration_is_needed_and_is_gsm7(self):
        for char, replacement in TRANSLITERATION.items():
            assert encoding(char) == "UCS-2", char
            assert encoding(replacement) == "GSM-7", char


class TestEncoding:
    @pytest.mark.parametrize(
        "text",
        ["Atelier couture", "Café à 15h, salle Éva? Non: Élise", "Ça ira, Müller, Peña", "10 €"],
    )
    def test_gsm7(self, text):
        assert encoding(text) == "GSM-7"

    @pytest.mark.parametrize("text", ["Fête", "Reçu", "cœur", "l’atelier", "Merci 🙂", "Île"])
    def test_ucs2(self, text):
        assert encoding(text) == "UCS-2"

    def test_decomposed_accent_is_the_alphabets(self):
        decomposed = "Cafe\u0301"  # e + combining acute, as some keyboards send it
        assert encoding(decomposed) == "GSM-7"
        assert length(decomposed) == 4


class TestSegments:
    def test_empty(self):
        assert segments("") == 0

    @pytest.mark.parametrize(
        ("size", "expected"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3)]
    )
    def test_gsm7(self, size, expected):
        assert segments("a" * size) == expected

    @pytest.mark.parametrize(("size", "expected"), [(70, 1), (71, 2), (134, 2), (135, 3)])
    def test_ucs2(self, size, expected):
        assert segments("ê" * size) == expected

    def test_extension_characters_count_double(self):
        assert length("€") == 2
        assert segments("€" * 80) == 1  # 160 septets
        assert segments("€" * 81) == 2
        assert segments("a" * 159 + "^") == 2  # 161 septets

    def test_an_escape_pair_is_never_split_across_parts(self):
        # 306 septets would fit two parts of 153, but the € cannot straddle them.
        assert length("a" * 152 + "€" + "a" * 152) == 306
        assert segments("a" * 152 + "€" + "a" * 152) == 3

    def test_emoji_are_two_units(self):
        assert length("🙂") == 2
        assert segments("🙂" * 35) == 1  # 70 units
        assert segments("🙂" * 36) == 2
        assert segments("a" * 69 + "🙂") == 2  # 71 units

    def test_a_surrogate_pair_is_never_split_across_parts(self):
        # 134 units would fit two parts of 67; 33 emoji (66 units) fit a part, not 34.
        assert segments("🙂" * 67) == 3

    def test_one_ucs2_character_makes_the_whole_text_ucs2(self):
        text = "a" * 100
        assert segments(text) == 1
        assert segments(text + "ê") == 2


class TestToGsm:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Fête de Noël", "Fete de Noel"),
            ("maïs, août, Île, être, ça, Ça", "mais, aout, Ile, etre, ca, Ça"),
            ("Cœur, ŒUVRE, sœur", "Coeur, OEUVRE, soeur"),
            ("À bientôt, ÊTRE, Ève, Où", "A bientot, ETRE, Eve, Où"),
            ("L’atelier d‘été", "L'atelier d'été"),
            ("« Cuisine du monde »", '"Cuisine du monde"'),
            ("«\u202fbonjour\u202f»", '"bonjour"'),
            ("“Oui” – non — peut-être…", '"Oui" - non - peut-etre...'),
            ("Annuler\u00a0: 01\u202f23", "Annuler : 01 23"),
            ("N° 5, inscrit·e·s", "No 5, inscrit.e.s"),
            ("Lætitia, Æsop, Müller, Ñandú, Ångström", "Lætitia, Æsop, Müller, Ñandu, Ångström"),
            ("Kraków, Łódź", "Krakow, Łodz"),  # Ł has no bare form: kept, the text stays UCS-2
        ],
    )
    def test_french(self, text, expected):
        assert to_gsm(text) == expected

    @pytest.mark.parametrize(
        "text", ["é è à ù ì ò É Ç Ä Ö Ñ Ü ä ö ñ ü æ Æ ß", "10 € [x] {y} ~ | ^"]
    )
    def test_gsm7_is_kept(self, text):
        assert to_gsm(text) == text

    def test_emoji_are_kept(self):
        assert to_gsm("Fête 🎉") == "Fete 🎉"

    def test_a_real_confirmation_fits_one_sms_once_transliterated(self):
        assert len(CONFIRMATION) >= 150
        assert encoding(CONFIRMATION) == "UCS-2"
        assert segments(CONFIRMATION) == 3
        fitted = to_gsm(CONFIRMATION)
        assert encoding(fitted) == "GSM-7"
        assert segments(fitted) == 1
        assert fitted == (
            'Bonjour, votre inscription à la "Fete des voisins" du vendredi 6 juin à 18h30 '
            "est confirmée. Rendez-vous square des Tilleuls. Annuler : 01 23 45 67 89"
        )

    def test_a_real_cancellation_fits_one_sms_once_transliterated(self):
        assert segments(CANCELLATION) == 3
        assert segments(to_gsm(CANCELLATION)) == 1
        assert "Votre réf. K7PM2Q" in to_gsm(CANCELLATION)

    def test_prepare_transliterates_only_when_that_makes_gsm7(self):
        assert prepare("Fête à 18h") == "Fete à 18h"
        # An emoji keeps the text UCS-2: the accents cost nothing there, they stay.
        assert prepare("Fête à 18h 🎉") == "Fête à 18h 🎉"


class TestSendSms:
    def test_locmem_outbox(self, outbox):
        result = send_sms(NUMBER, CONFIRMATION)
        assert len(outbox) == 1
        message = outbox[0]
        assert message.to == NUMBER
        assert message.text == to_gsm(CONFIRMATION)
        assert message.sender == "TraitUnion"
        assert (message.segments, message.encoding) == (1, "GSM-7")
        assert result.message_id == message.message_id
        assert result.segments == 1

    def test_without_transliteration(self, outbox):
        result = send_sms(NUMBER, "Fête", transliterate=False)
        assert outbox[0].text == "Fête"
        assert (result.segments, outbox[0].encoding) == (1, "UCS-2")

    def test_an_emoji_message_is_sent_as_written(self, outbox):
        send_sms(NUMBER, "Bonne fête 🎉")
        assert outbox[0].text == "Bonne fête 🎉"
        assert outbox[0].encoding == "UCS-2"

    def test_each_message_has_its_own_id(self, outbox):
        first, second = send_sms(NUMBER, "Un"), send_sms(NUMBER, "Deux")
        assert first.message_id != second.message_id

    def test_backend_instance_or_path(self, outbox, settings):
        settings.SMS_BACKEND = "portal.sms.backends.console.SmsBackend"
        send_sms(NUMBER, "Par chemin", backend=LOCMEM)
        send_sms(NUMBER, "Par instance", backend=get_backend(LOCMEM, sender="Bailleur 13"))
        assert [(m.text, m.sender) for m in outbox] == [
            ("Par chemin", "TraitUnion"),
            ("Par instance", "Bailleur 13"),
        ]

    @pytest.mark.parametrize(
        "number",
        ["0612345678", "33612345678", "+33 6 12 34 56 78", "+0612345678", "", "+3361234567890123"],
    )
    def test_an_invalid_number_is_refused_before_sending(self, outbox, number):
        with pytest.raises(SmsError) as caught:
            send_sms(number, "Bonjour")
        assert (caught.value.code, caught.value.permanent) == ("invalid_number", True)
        assert outbox == []

    def test_the_error_never_quotes_the_number_or_the_text(self, outbox):
        with pytest.raises(SmsError) as caught:
            send_sms("+33 6 12 34 56 78", "Secret")
        assert "12" not in str(caught.value)
        assert "Secret" not in str(caught.value)

    @pytest.mark.parametrize("text", ["", "  \n"])
    def test_an_empty_text_is_a_mistake(self, outbox, text):
        with pytest.raises(ValueError):
            send_sms(NUMBER, text)
        assert outbox == []

    @pytest.mark.parametrize(
        "sender", ["Trait d'union", "TraitDUnion13", "TU", "Bailleur é", " Bailleur"]
    )
    def test_an_invalid_sender_is_a_configuration_error(self, outbox, settings, sender):
        settings.SMS_SENDER = sender
        with pytest.raises(ImproperlyConfigured):
            send_sms(NUMBER, "Bonjour")

    @pytest.mark.parametrize("sender", ["TraitUnion", "Bailleur 13", "HLM", "33612345678"])
    def test_valid_senders(self, outbox, settings, sender):
        settings.SMS_SENDER = sender
        send_sms(NUMBER, "Bonjour")
        assert outbox[0].sender == sender

    def test_default_backend_is_the_console(self, settings):
        if hasattr(settings, "SMS_BACKEND"):
            del settings.SMS_BACKEND
        assert type(get_backend()).__module__ == "portal.sms.backends.console"


class TestConsoleBackend:
    def test_writes_the_message_to_stdout(self, settings, capsys):
        settings.SMS_BACKEND = "portal.sms.backends.console.SmsBackend"
        result = send_sms(NUMBER, CANCELLATION)
        out = capsys.readouterr().out
        assert "Expéditeur : TraitUnion" in out
        assert f"Destinataire : {NUMBER}" in out
        assert f"Identifiant : {result.message_id}" in out
        assert "Segments : 1 (GSM-7)" in out
        assert to_gsm(CANCELLATION) in out


class TestFileBackend:
    @pytest.fixture
    def directory(self, settings, tmp_path):
        settings.SMS_BACKEND = "portal.sms.backends.file.SmsBackend"
        settings.SMS_FILE_PATH = tmp_path / "sms"
        return tmp_path / "sms"

    def test_one_file_per_backend_instance(self, directory):
        backend = get_backend()
        send_sms(NUMBER, "Premier message", backend=backend)
        send_sms("+262692123456", "Deuxième message", backend=backend)
        send_sms(NUMBER, "Troisième message")  # a backend of its own
        files = sorted(directory.iterdir(), key=lambda path: path.stat().st_mtime_ns)
        assert len(files) == 2
        first = files[0].read_text(encoding="utf-8")
        assert "Premier message" in first
        assert "Deuxième message" in first
        assert "Destinataire : +262692123456" in first
        assert "Troisième message" in files[1].read_text(encoding="utf-8")

    def test_the_directory_is_created(self, directory):
        assert not directory.exists()
        send_sms(NUMBER, "Bonjour")
        assert directory.is_dir()

    def test_a_file_in_place_of_the_directory(self, directory):
        directory.write_text("")
        with pytest.raises(ImproperlyConfigured):
            get_backend()
