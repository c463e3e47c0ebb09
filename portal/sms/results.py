"""What a backend answers: a result, or an error that says whether trying again can help."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SmsResult:
    """A message the provider accepted: its id there, and how many SMS it is billed as."""

    message_id: str
    segments: int


class SmsError(Exception):
    """A message that was not sent.

    `code` is short and safe to log or store: the provider's error code and/or HTTP status
    ("400 invalid_parameter", "402 not_enough_credits", "timeout"), never the number or the text.
    `permanent` is True when the same message to the same number will never go through (the
    number is invalid or refused): the household must be reached another way. It is False when
    trying again later can work: the provider is down or slow, the account has no credit, its key
    is refused (an operator fixes the account, the household's number is not at fault).
    """

    def __init__(self, code: str, *, permanent: bool) -> None:
        self.code = code
        self.permanent = permanent
        kind = "permanent" if permanent else "temporary"
        super().__init__(f"SMS not sent ({kind}): {code}")
