from reelforge.cli.doctor import run_checks
from reelforge.config import Settings


def test_doctor_reports_the_embedded_defaults_as_working(settings: Settings) -> None:
    checks = {c.name: c for c in run_checks(settings)}
    assert checks["ffmpeg"].ok and checks["ffmpeg libx264"].ok and checks["ffmpeg ass"].ok
    assert checks["database"].ok and "sqlite" in checks["database"].detail
    assert checks["job queue"].ok and "SQLite" in checks["job queue"].detail
    assert not checks["script writer"].ok and "TEMPLATE" in checks["script writer"].cost


def test_doctor_says_what_an_unreachable_redis_costs(settings: Settings) -> None:
    settings.redis_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    queue = {c.name: c for c in run_checks(settings)}["job queue"]
    assert not queue.ok and queue.cost == "jobs cannot be queued"
