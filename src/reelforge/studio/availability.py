"""Which providers can be used with these settings: one answer for every door.

``reelforge doctor`` lists every provider with whether it works as configured,
and the dashboard's New video page offers only those that do, showing the rest
disabled with the setting that turns each one on. Both ask
:func:`provider_availability`, so the two can never disagree about what this
server can do.

"Usable" means what a render would find: the provider's class loads (a plugin's
package is installed), its key is there (the server's setting, when the user's
plan may use it, or the user's own key), and what a local provider needs is on
this machine (piper's voice model, the espeak-ng program, the media library
folder). Nothing here talks to a provider's service: a key that is set but
wrong is found out by the first request that uses it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

from reelforge.config import Settings, secret_text
from reelforge.errors import ConfigError
from reelforge.providers import registry

#: How each provider kind is called where people read it.
KIND_LABELS = {
    "llm": "writer",
    "tts": "voice",
    "media": "media",
    "imagegen": "image generator",
    "research": "research",
}


def env_name(setting: str) -> str:
    """The environment variable of a setting: ``pexels_api_key`` -> ``REELFORGE_PEXELS_API_KEY``."""
    return f"REELFORGE_{setting.upper()}"


@dataclass(frozen=True)
class Availability:
    """One provider's standing on this server, for one user (or for the operator)."""

    kind: str
    name: str
    usable: bool
    detail: str  # its state, e.g. "REELFORGE_PEXELS_API_KEY not set"
    setting: str = ""  # what turns it on: an environment variable or a command ("" if none)
    enable: str = ""  # a sentence saying how to make it usable ("" when usable)
    plugin: bool = False
    remote: bool = False  # using it sends the user's content to its service (P20)
    takes_own_key: bool = False  # a user's own key (BYOK) would make it usable

    @property
    def label(self) -> str:
        return f"{KIND_LABELS.get(self.kind, self.kind)} {self.name}"

    @property
    def cost(self) -> str:
        """What is lost while it is unusable, in doctor's words ("" when usable)."""
        if self.usable:
            return ""
        if self.takes_own_key and self.setting:
            return (
                f"{self.name} cannot be used until {self.setting} is set "
                "(or a user adds their own key)"
            )
        return f"{self.name} cannot be chosen: {self.enable}"


# --- what local providers need on this machine ----------------------------------
# (detail, setting, enable) when something is missing; None when all is there.
Missing = tuple[str, str, str]


def _piper(settings: Settings) -> Missing | None:
    if importlib.util.find_spec("piper") is None:
        return (
            "the piper package is not installed",
            "pip install piper-tts",
            "Install piper (`make setup`, or `pip install piper-tts`).",
        )
    from reelforge.providers.tts.piper import voice_files

    try:
        voice_files(settings)
    except ConfigError as exc:
        return (exc.message, env_name("piper_model"), exc.message)
    return None


def _espeak(settings: Settings) -> Missing | None:
    from reelforge.providers.tts.espeak import find_espeak

    try:
        find_espeak(settings.espeak_binary)
    except ConfigError as exc:
        return (
            "the espeak-ng program is not installed",
            "apt-get install espeak-ng",
            exc.message,
        )
    return None


def _library(settings: Settings) -> Missing | None:
    setting = env_name("library_dir")
    folder = settings.library_dir
    if folder is None:
        return (
            f"{setting} not set",
            setting,
            f"Set {setting} to a folder of your own images and videos.",
        )
    if not folder.expanduser().is_dir():
        return (
            f"{setting} is {folder}, which is not a folder",
            setting,
            f"Point {setting} at the folder that holds your images and videos.",
        )
    return None


#: Built-in providers that need something on this machine besides a key.
LOCAL_NEEDS: dict[tuple[str, str], Callable[[Settings], Missing | None]] = {
    ("tts", "piper"): _piper,
    ("tts", "espeak"): _espeak,
    ("media", "library"): _library,
}


def _keyless_server(settings: Settings, kind: str, name: str) -> str | None:
    """A self-hosted OpenAI-compatible writer (Ollama, vLLM) runs without a key."""
    if (kind, name) == ("llm", "openai"):
        base = settings.openai_base_url.rstrip("/")
        if urlsplit(base).hostname != "api.openai.com":
            return base
    return None


def provider_availability(
    settings: Settings,
    kind: str,
    name: str,
    *,
    own_keys: Collection[str] = (),
    server_keys: bool = True,
) -> Availability:
    """Whether provider ``name`` of ``kind`` can be used with ``settings``.

    ``own_keys`` names the providers the user stored a key for; ``server_keys`` is
    False when the user's plan may not use the operator's keys. With the defaults
    the answer is the operator's view (what ``reelforge doctor`` shows).
    """
    plugin = name not in registry.BUILTINS.get(kind, {})
    tag = " (plugin)" if plugin else ""
    try:
        cls = registry.provider_class(kind, name)
    except (ImportError, AttributeError) as exc:  # a plugin whose target is not there
        return Availability(
            kind,
            name,
            False,
            f"cannot be loaded{tag}: {exc}",
            enable=f"Install the package that provides the {name} plugin.",
            plugin=plugin,
        )
    remote = bool(cls.remote)
    needs = LOCAL_NEEDS.get((kind, name)) if not plugin else None
    missing = needs(settings) if needs is not None else None
    if missing is not None:
        detail, setting, enable = missing
        return Availability(
            kind, name, False, detail + tag, setting, enable, plugin=plugin, remote=remote
        )
    if cls.key_setting is not None:
        env = env_name(cls.key_setting)
        if name in own_keys:
            return Availability(
                kind, name, True, f"your own key{tag}", plugin=plugin, remote=remote
            )
        server_set = bool(secret_text(getattr(settings, cls.key_setting, None)))
        if not server_keys and cls.needs_key:  # the plan may not use the operator's keys
            return Availability(
                kind,
                name,
                False,
                f"your plan does not include the server's keys{tag}",
                "",
                f"Add your own {name} key.",
                plugin=plugin,
                remote=remote,
                takes_own_key=True,
            )
        if (base := _keyless_server(settings, kind, name)) is not None:
            return Availability(
                kind, name, True, f"no key needed: {base}{tag}", plugin=plugin, remote=remote
            )
        if server_set:
            return Availability(kind, name, True, f"{env} set{tag}", plugin=plugin, remote=remote)
        return Availability(
            kind,
            name,
            False,
            f"{env} not set{tag}",
            env,
            f"Set {env} on the server, or add your own {name} key.",
            plugin=plugin,
            remote=remote,
            takes_own_key=True,
        )
    if cls.needs_key:
        return Availability(
            kind, name, True, f"uses the user's connected account{tag}", plugin=plugin, remote=True
        )
    where = "sends your content to its service" if remote else "runs on this machine"
    return Availability(
        kind, name, True, f"no key needed, {where}{tag}", plugin=plugin, remote=remote
    )


def providers_of(
    settings: Settings, kind: str, *, own_keys: Collection[str] = (), server_keys: bool = True
) -> list[Availability]:
    """Every provider of ``kind`` the registry offers (built-ins first, then plugins)."""
    return [
        provider_availability(settings, kind, name, own_keys=own_keys, server_keys=server_keys)
        for name in registry.available(kind)
    ]


def every_provider(settings: Settings) -> list[Availability]:
    """Every provider of every kind, as the operator sees them (what doctor lists)."""
    return [a for kind in registry.BUILTINS for a in providers_of(settings, kind)]
