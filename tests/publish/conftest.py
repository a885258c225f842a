"""The platform fakes' fixtures, shared with tests/providers/platforms."""

from tests.providers.platforms.conftest import (  # noqa: F401
    google,
    tiktok,
    tiktok_server,
    tt_settings,
    youtube,
    yt_settings,
)
from tests.publish.support import pub_api, pub_settings  # noqa: F401
