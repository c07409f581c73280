"""API keys: made once, shown once, stored hashed.

A key is 32 random bytes (URL-safe base64, prefixed ``lmk_``). The keys file holds one line per
key, ``ADVISER_ID SHA256_HEX``: the pseudonymous id the decision log records for that key's
overrides, and the SHA-256 of the key. Keys are long and random, so a fast hash is enough (as for
API tokens elsewhere); a stolen keys file gives no key. Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from ..errors import ConfigError

__all__ = ["KeyRing", "add_key", "hash_key", "new_key"]

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}")
_HEX = re.compile(r"[0-9a-f]{64}")


def new_key() -> str:
    """A fresh random API key.

    Examples
    --------
    >>> key = new_key()
    >>> key.startswith("lmk_") and len(key) > 40
    True
    """
    return "lmk_" + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """The stored form of `key`: its SHA-256, hex.

    Examples
    --------
    >>> len(hash_key("lmk_example"))
    64
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def add_key(path: str | os.PathLike[str], adviser_id: str) -> str:
    """Make a key for `adviser_id`, append its hash to the keys file `path`, and return the key.

    The key is shown only here: the file keeps its hash. The file is created with mode 0600.

    Raises
    ------
    ConfigError
        `adviser_id` is not 1–64 letters, digits or ``._:@-`` (it is a pseudonymous id, not a
        name), or is already in the file.
    """
    if not isinstance(adviser_id, str) or not _ID.fullmatch(adviser_id):
        raise ConfigError(
            "adviser id must be 1-64 letters, digits or ._:@- (a pseudonymous id, not a name)"
        )
    p = Path(path)
    ring = KeyRing.load(p) if p.exists() else KeyRing({})
    if adviser_id in ring.advisers:
        raise ConfigError(f"adviser id {adviser_id!r} already has a key in {str(p)!r}")
    key = new_key()
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(f"{adviser_id} {hash_key(key)}\n")
    return key


class KeyRing:
    """The hashed keys a service accepts, by hash, each with its adviser id.

    Examples
    --------
    >>> ring = KeyRing({hash_key("lmk_a"): "adviser-1"})
    >>> ring.check("lmk_a"), ring.check("lmk_b")
    ('adviser-1', None)
    """

    def __init__(self, by_hash: dict[str, str]) -> None:
        self._by_hash = dict(by_hash)

    @property
    def advisers(self) -> frozenset[str]:
        """The adviser ids that hold a key."""
        return frozenset(self._by_hash.values())

    def __len__(self) -> int:
        return len(self._by_hash)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> KeyRing:
        """Read a keys file.

        Raises
        ------
        ConfigError
            The file cannot be read, or a line is not ``ADVISER_ID SHA256_HEX`` (named by number).
        """
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"cannot read the keys file {str(p)!r}: {exc.__class__.__name__}"
            ) from None
        by_hash: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) != 2 or not _ID.fullmatch(parts[0]) or not _HEX.fullmatch(parts[1]):
                raise ConfigError(
                    f"{str(p)!r} line {number}: expected 'ADVISER_ID SHA256_HEX' "
                    "(make keys with `labourint-match key`)"
                )
            by_hash[parts[1]] = parts[0]
        return cls(by_hash)

    def check(self, key: str) -> str | None:
        """The adviser id of `key`, or ``None`` when it is not one of ours."""
        digest = hash_key(key)
        found = None
        for stored, adviser in self._by_hash.items():  # compare every one: no timing shortcut
            if hmac.compare_digest(stored, digest):
                found = adviser
        return found
