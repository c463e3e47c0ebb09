"""The Brevo backend against a local server that answers as Brevo's documented API does."""

import json
import logging
import socket
import time
import urllib.error
import urllib.request

import pytest

from django.core.exceptions import ImproperlyConfigured

from portal.sms import SmsError, get_backend, send_sms
from tests.sms_server import SEND, BrevoServer

BREVO = "portal.sms.backends.brevo.SmsBackend"
NUMBER = "+33612345678"
TEXT = "Bonjour, votre inscription à l’atelier cuisine du jeudi 14 mars à 14h est confirmée."


@pytest.fixture
def brevo(settings):
    with BrevoServer() as server:
        settings.SMS_BACKEND = BREVO
        settings.SMS_SENDER = "TraitUnion"
        settings.SMS_BREVO_API_KEY = server.api_key
        settings.SMS_BREVO_URL = server.url
        settings.SMS_TIMEOUT = 2
        yield server


def refused(text: str = TEXT, number: str = NUMBER) -> SmsError:
    with pytest.raises(SmsError) as caught:
        send_sms(number, text)
    return caught.value


class TestRequest:
    def test_the_documented_request(self, brevo):
        result = send_sms(NUMBER, TEXT)
        [received] = brevo.requests
        assert received.method == "POST"
        assert received.path == SEND == "/v3/transactionalSMS/send"
        assert received.headers["api-key"] == brevo.api_key
        assert received.headers["content-type"] == "application/json"
        assert received.headers["accept"] == "application/json"
        assert received.json == {
            "sender": "TraitUnion",
            "recipient": "33612345678",
            "content": "Bonjour, votre inscription à l'atelier cuisine du jeudi 14 mars à 14h est confirmée.",
            "type": "transactional",
            "unicodeEnabled": False,
        }
        assert result.message_id == "1511882900176221"
        assert result.segments == 1

    def test_the_body_is_utf8_json(self, brevo):
        send_sms(NUMBER, "Noël à l'école")
        assert brevo.requests[0].body.decode("utf-8") == json.dumps(
            brevo.requests[0].json, ensure_ascii=False
        )
        assert brevo.requests[0].json["content"] == "Noel à l'école"

    def test_a_unicode_text_is_flagged(self, brevo):
        result = send_sms("+596696123456", "Bonne fête des mères 💐")
        sent = brevo.requests[0].json
        assert sent["content"] == "Bonne fête des mères 💐"  # UCS-2 anyway: accents kept
        assert sent["unicodeEnabled"] is True
        assert sent["recipient"] == "596696123456"
        assert result.segments == 1

    def test_segments_are_counted_when_brevo_does_not_say(self, brevo):
        result = send_sms(NUMBER, "a" * 161)
        assert "smsCount" not in json.dumps(brevo.requests[0].json)
        assert result.segments == 2

    def test_the_deprecated_endpoint_smscount_is_used(self, brevo):
        backend = get_backend()
        backend.url = brevo.url + "/v3/transactionalSMS/sms"
        result = send_sms(NUMBER, "b" * 200, backend=backend)
        assert brevo.requests[0].path == "/v3/transactionalSMS/sms"
        assert (result.message_id, result.segments) == ("1511882900176221", 2)
        assert brevo.credits == 98

    def test_each_message_has_brevos_id(self, brevo):
        ids = {send_sms(NUMBER, "Un").message_id, send_sms(NUMBER, "Deux").message_id}
        assert ids == {"1511882900176221", "1511882900176222"}

    def test_the_base_url_may_end_with_a_slash(self, brevo, settings):
        settings.SMS_BREVO_URL = brevo.url + "/"
        send_sms(NUMBER, "Bonjour")
        assert brevo.requests[0].path == SEND

    def test_no_api_key_is_a_configuration_error(self, brevo, settings):
        settings.SMS_BREVO_API_KEY = ""
        with pytest.raises(ImproperlyConfigured):
            send_sms(NUMBER, "Bonjour")
        assert brevo.requests == []

    def test_an_invalid_number_never_reaches_brevo(self, brevo):
        error = refused(number="06 12 34 56 78")
        assert (error.code, error.permanent) == ("invalid_number", True)
        assert brevo.requests == []


class TestErrors:
    def test_invalid_recipient_is_permanent(self, brevo):
        brevo.refused.add("33612345678")
        error = refused()
        assert (error.code, error.permanent) == ("400 invalid_parameter", True)
        assert brevo.requests[0].json["recipient"] == "33612345678"

    def test_refused_key_is_temporary(self, brevo, settings):
        settings.SMS_BREVO_API_KEY = "xkeysib-revoked"
        error = refused()
        assert (error.code, error.permanent) == ("401 unauthorized", False)
        assert brevo.requests[0].headers["api-key"] == "xkeysib-revoked"

    def test_no_credit_is_temporary(self, brevo):
        brevo.credits = 0
        error = refused()
        assert (error.code, error.permanent) == ("402 not_enough_credits", False)

    def test_rate_limit_is_temporary(self, brevo):
        brevo.fail_with = 429
        error = refused()
        assert (error.code, error.permanent) == ("429 too_many_requests", False)

    @pytest.mark.parametrize("status", [500, 502, 503])
    def test_server_error_is_temporary(self, brevo, status):
        brevo.fail_with = status
        error = refused()
        assert (error.code, error.permanent) == (str(status), False)

    def test_wrong_path_is_not_the_numbers_fault(self, brevo, settings):
        settings.SMS_BREVO_URL = brevo.url + "/v2"
        error = refused()
        assert (error.code, error.permanent) == ("404 document_not_found", False)

    def test_slow_answer_times_out(self, brevo, settings):
        brevo.delay = 5
        settings.SMS_TIMEOUT = 0.3
        started = time.monotonic()
        error = refused()
        assert time.monotonic() - started < 2
        assert (error.code, error.permanent) == ("timeout", False)
        assert len(brevo.requests) == 1

    def test_the_default_timeout_is_ten_seconds(self, brevo, settings):
        del settings.SMS_TIMEOUT
        assert get_backend().timeout == 10

    def test_no_server_is_temporary(self, settings):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        settings.SMS_BACKEND = BREVO
        settings.SMS_BREVO_API_KEY = "xkeysib-test"
        settings.SMS_BREVO_URL = f"http://127.0.0.1:{port}"
        error = refused()
        assert (error.code, error.permanent) == ("connection", False)


class TestPrivacy:
    """Logs and errors carry Brevo's message id and error code, never the number or the text."""

    def leaks(self, caplog, error: SmsError | None = None) -> list[str]:
        texts = [record.getMessage() for record in caplog.records]
        if error is not None:
            texts += [str(error), error.code]
        return [t for t in texts if "612345678" in t or "atelier" in t or "Invalid phone" in t]

    def test_success_logs_the_id_only(self, brevo, caplog):
        with caplog.at_level(logging.DEBUG, logger="portal.sms"):
            result = send_sms(NUMBER, TEXT)
        assert any(result.message_id in record.getMessage() for record in caplog.records)
        assert self.leaks(caplog) == []

    @pytest.mark.parametrize(
        "failure",
        [{"refused": {"33612345678"}}, {"credits": 0}, {"fail_with": 500}, {"delay": 5}],
    )
    def test_failures_log_the_code_only(self, brevo, settings, caplog, failure):
        for name, value in failure.items():
            setattr(brevo, name, value)
        settings.SMS_TIMEOUT = 0.3
        with caplog.at_level(logging.DEBUG, logger="portal.sms"):
            error = refused()
        assert any(error.code in record.getMessage() for record in caplog.records)
        assert self.leaks(caplog, error) == []


class TestServer:
    """The local server is as strict as Brevo, so that a request it accepts is a valid one."""

    def post(self, server: BrevoServer, body: object, key: str | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            server.url + SEND,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"api-key": key or server.api_key, "content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read())

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({"recipient": "33612345678", "content": "x"}, "missing_parameter"),
            ({"sender": "TraitUnion", "content": "x"}, "missing_parameter"),
            ({"sender": "TraitUnion", "recipient": "33612345678"}, "missing_parameter"),
            (
                {"sender": "TraitDUnion13", "recipient": "33612345678", "content": "x"},
                "invalid_parameter",
            ),
            ({"sender": "TraitUnion", "recipient": "06 12", "content": "x"}, "invalid_parameter"),
            ([], "bad_request"),
        ],
    )
    def test_refuses_what_brevo_refuses(self, body, code):
        with BrevoServer() as server:
            status, answer = self.post(server, body)
        assert (status, answer["code"]) == (400, code)

    def test_accepts_the_documented_example(self):
        with BrevoServer() as server:
            body = {"sender": "MyShop", "recipient": "33689965433", "content": "Enter this code"}
            assert self.post(server, body) == (201, {"messageId": 1511882900176221})
            assert self.post(server, body, key="wrong")[0] == 401
