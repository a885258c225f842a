"""The secrets vault: AES-256-GCM for provider keys and OAuth tokens (promises P08, P09).

* The master keys never touch the database: they come from
  ``REELFORGE_VAULT_KEY`` (base64, comma-separated, newest first) or from
  ``$REELFORGE_HOME/vault.key`` (one base64 key per line, newest first, 0600,
  created on first run).
* Each ciphertext row stores the id of the key that sealed it (a hash of the
  key, not the key), a fresh 96-bit nonce, and is bound to its owner, kind
  and name as associated data: a ciphertext copied to another user's row
  fails to open.
* ``rotate()`` re-encrypts every row under the newest key. With the key
  file it first writes a new key in front of the old ones, re-encrypts, and
  only then drops the old keys — so an interrupted rotation loses nothing.
  With keys from settings, put the new key first, rotate, then remove the old.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reelforge.accounts.keyfiles import read_or_create, write_secret_file
from reelforge.accounts.tables import Secret
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import ConfigError, ReelforgeError
from reelforge.store.db import Database

KEY_BYTES = 32
NONCE_BYTES = 12


def key_id(key: bytes) -> str:
    """A short public name for a key (a hash: it does not reveal the key)."""
    return hashlib.sha256(b"reelforge-vault-key-id\x00" + key).hexdigest()[:16]


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def encode_keys(keys: list[bytes]) -> str:
    return "\n".join(base64.b64encode(k).decode() for k in keys) + "\n"


def _decode_keys(text: str, *, source: str) -> list[bytes]:
    keys: list[bytes] = []
    for part in text.replace(",", "\n").split():
        try:
            key = base64.b64decode(part, validate=True)
        except binascii.Error as exc:
            raise ConfigError(f"{source} holds a vault key that is not base64.") from exc
        if len(key) != KEY_BYTES:
            raise ConfigError(
                f"{source} holds a vault key of {len(key)} bytes; keys are {KEY_BYTES} random "
                "bytes, base64-encoded (python -c 'import os,base64;"
                "print(base64.b64encode(os.urandom(32)).decode())')."
            )
        keys.append(key)
    if not keys:
        raise ConfigError(f"{source} holds no vault key.")
    return keys


def _stamp(path: Path | None) -> tuple[int, int] | None:
    """Changes whenever the key file is replaced (new inode) or rewritten."""
    if path is None:
        return None
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns


@dataclass(frozen=True)
class Sealed:
    key_id: str
    nonce: bytes
    ciphertext: bytes


class Vault:
    """Seals and opens secrets with the newest key; opens with any key it holds."""

    def __init__(self, keys: list[bytes], *, key_file: Path | None = None) -> None:
        if not keys:
            raise ConfigError("The vault needs at least one key.")
        self.key_file = key_file
        self._stamp = _stamp(key_file)
        self._load(keys)

    def _load(self, keys: list[bytes]) -> None:
        self.keys = list(keys)
        self._by_id = {key_id(k): AESGCM(k) for k in keys}

    def _refresh(self) -> None:
        """Pick up a rotation done by another process (``reelforge vault rotate``)."""
        if self.key_file is None:
            return
        stamp = _stamp(self.key_file)
        if stamp is not None and stamp != self._stamp:
            self._stamp = stamp
            self._load(_decode_keys(self.key_file.read_text(), source=str(self.key_file)))

    @classmethod
    def from_settings(cls, settings: Settings) -> Vault:
        if settings.vault_key is not None and settings.vault_key.get_secret_value().strip():
            text = settings.vault_key.get_secret_value()
            return cls(_decode_keys(text, source="REELFORGE_VAULT_KEY"))
        path = settings.home / "vault.key"
        text = read_or_create(path, make=encode_keys([new_key()]).encode()).decode()
        return cls(_decode_keys(text, source=str(path)), key_file=path)

    @property
    def current_key_id(self) -> str:
        return key_id(self.keys[0])

    def seal(self, plaintext: bytes, *, aad: bytes) -> Sealed:
        self._refresh()
        nonce = os.urandom(NONCE_BYTES)
        cipher = self._by_id[self.current_key_id]
        return Sealed(self.current_key_id, nonce, cipher.encrypt(nonce, plaintext, aad))

    def open(self, sealed: Sealed, *, aad: bytes) -> bytes:
        if sealed.key_id not in self._by_id:
            self._refresh()
        cipher = self._by_id.get(sealed.key_id)
        if cipher is None:
            raise ConfigError(
                f"A stored secret was sealed with vault key {sealed.key_id}, which this server "
                "does not have. Restore that key (REELFORGE_VAULT_KEY or vault.key).",
                details={"key_id": sealed.key_id},
            )
        try:
            return cipher.decrypt(sealed.nonce, sealed.ciphertext, aad)
        except InvalidTag as exc:
            raise ReelforgeError(
                "A stored secret failed its integrity check and was not used; store it again.",
                details={"key_id": sealed.key_id},
            ) from exc


def _aad(owner_id: str, kind: str, name: str) -> bytes:
    return f"{owner_id}\x1f{kind}\x1f{name}".encode()


def put_secret(
    db: Session,
    vault: Vault,
    *,
    owner_id: str,
    kind: str,
    name: str,
    value: str,
    hint: str | None = None,
) -> Secret:
    """Store (or replace) the owner's secret ``kind``/``name``, encrypted."""
    sealed = vault.seal(value.encode(), aad=_aad(owner_id, kind, name))
    row = db.scalars(
        select(Secret).where(Secret.owner_id == owner_id, Secret.kind == kind, Secret.name == name)
    ).first()
    if row is None:
        row = Secret(owner_id=owner_id, kind=kind, name=name)
        db.add(row)
    else:
        row.updated_at = utc_now()
    row.key_id, row.nonce, row.ciphertext, row.hint = (
        sealed.key_id,
        sealed.nonce,
        sealed.ciphertext,
        hint,
    )
    db.flush()
    return row


def read_secret(db: Session, vault: Vault, *, owner_id: str, kind: str, name: str) -> str | None:
    """The owner's secret in clear, or None. Only ever the owner's: the query and the
    associated data both name them."""
    row = db.scalars(
        select(Secret).where(Secret.owner_id == owner_id, Secret.kind == kind, Secret.name == name)
    ).first()
    if row is None:
        return None
    sealed = Sealed(row.key_id, row.nonce, row.ciphertext)
    return vault.open(sealed, aad=_aad(owner_id, kind, name)).decode()


def list_secrets(db: Session, *, owner_id: str, kind: str) -> list[Secret]:
    query = select(Secret).where(Secret.owner_id == owner_id, Secret.kind == kind)
    return list(db.scalars(query.order_by(Secret.name)))


def delete_secret(db: Session, *, owner_id: str, kind: str, name: str) -> bool:
    """Remove it at once; True when there was one."""
    result = db.execute(
        delete(Secret).where(Secret.owner_id == owner_id, Secret.kind == kind, Secret.name == name)
    )
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class Rotation:
    key_id: str
    re_encrypted: int
    dropped_keys: int


def rotate(database: Database, settings: Settings, *, batch: int = 200) -> Rotation:
    """Re-encrypt every secret under a new key (key file) or the first configured key."""
    vault = Vault.from_settings(settings)
    old_count = len(vault.keys)
    key_file = vault.key_file
    if key_file is not None:
        vault = Vault([new_key(), *vault.keys], key_file=key_file)
        write_secret_file(key_file, encode_keys(vault.keys).encode())
    current = vault.current_key_id
    done = 0
    while True:  # until a pass finds nothing left under an older key
        with database.session() as db:
            rows = list(db.scalars(select(Secret).where(Secret.key_id != current).limit(batch)))
            for row in rows:
                aad = _aad(row.owner_id, row.kind, row.name)
                plain = vault.open(Sealed(row.key_id, row.nonce, row.ciphertext), aad=aad)
                sealed = vault.seal(plain, aad=aad)
                row.key_id, row.nonce, row.ciphertext = (
                    sealed.key_id,
                    sealed.nonce,
                    sealed.ciphertext,
                )
        done += len(rows)
        if not rows:
            break
    dropped = 0
    if key_file is not None:
        write_secret_file(key_file, encode_keys(vault.keys[:1]).encode())
        dropped = old_count
    return Rotation(key_id=current, re_encrypted=done, dropped_keys=dropped)
