"""PKCE verifiers and challenges in both encodings."""

from __future__ import annotations

import re

import pytest

from reelforge.errors import InputError
from reelforge.providers.platforms import pkce

RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # RFC 7636 appendix B


def test_rfc_7636_example_in_base64url() -> None:
    assert (
        pkce.challenge(RFC_VERIFIER, "base64url") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_hex_is_the_sha256_hexdigest() -> None:
    assert pkce.challenge(RFC_VERIFIER, "hex") == (
        "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3"
    )


def test_new_verifiers_are_random_and_within_the_rules() -> None:
    made = {pkce.new_verifier() for _ in range(20)}
    assert len(made) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9\-._~]{64}", v) for v in made)
    assert len(pkce.new_verifier(128)) == 128


@pytest.mark.parametrize("bad", ["short", "x" * 129, "has space" + "x" * 40, "é" * 50])
def test_bad_verifiers_are_refused(bad: str) -> None:
    with pytest.raises(InputError):
        pkce.challenge(bad)


def test_unknown_encoding_names_the_setting() -> None:
    with pytest.raises(InputError, match="REELFORGE_TIKTOK_PKCE_ENCODING"):
        pkce.challenge(RFC_VERIFIER, "base32")  # type: ignore[arg-type]
