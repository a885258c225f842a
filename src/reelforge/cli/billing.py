"""`reelforge plans` and `reelforge billing sync`: see what is on offer; recover after missed
webhooks.

``plans`` asks the server you are logged in to (``GET /api/v1/plans``), or reads
this machine's settings when you are not logged in. ``billing sync`` is an
operator command: it runs here, against this installation's database and
Stripe account, and re-reads every subscription from Stripe.
"""

from __future__ import annotations

from typing import Any

import typer

from reelforge.cli.output import console
from reelforge.config import load_settings

billing_app = typer.Typer(help="Billing (hosted studios): keep plans in step with Stripe.")


def _local_plans() -> list[dict[str, Any]]:
    from reelforge.billing.plans import catalogue
    from reelforge.web.api.bodies.billing import PlanOut

    return [PlanOut.of(offer).model_dump() for offer in catalogue(load_settings())]


def _remote_plans() -> list[dict[str, Any]] | None:
    from reelforge.cli.client import api_client, login_path

    settings = load_settings()
    if not login_path(settings).exists():
        return None
    client = api_client(settings)
    try:
        answer: list[dict[str, Any]] = client.get("/api/v1/plans")
    finally:
        client.close()
    return answer


def _price(plan: dict[str, Any]) -> str:
    price = plan.get("price")
    if not price or price.get("amount") is None:
        return "free" if plan.get("default") else ("for sale" if plan["for_sale"] else "—")
    amount, currency = int(price["amount"]), str(price.get("currency") or "").upper()
    shown = f"{amount / 100:,.2f}" if currency not in {"JPY", "KRW"} else f"{amount:,}"
    return f"{shown} {currency}" + (f" / {price['interval']}" if price.get("interval") else "")


def _limits(plan: dict[str, Any]) -> str:
    set_limits = {k: v for k, v in plan["limits"].items() if v is not None}
    if not set_limits:
        return "no limits"
    per = plan.get("period", "month")
    parts = []
    for metric, value in set_limits.items():
        if metric == "storage_bytes":
            parts.append(f"{value / 1e9:g} GB stored")
        elif metric == "creators":
            parts.append(f"{value:g} creators")
        else:
            parts.append(f"{value:g} {metric.replace('_', ' ')}/{per}")
    return ", ".join(parts)


def plans() -> None:
    """Show the plans: limits, prices, and whether you bring your own provider keys."""
    found = _remote_plans()
    if found is None:
        found = _local_plans()
    for plan in found:
        name = plan["name"] + (" (default)" if plan.get("default") else "")
        keys = "bring your own" if plan.get("byok_required") else "the server's or your own"
        console.print(f"[bold]{name}[/bold]  {_price(plan)}", highlight=False)
        if plan.get("description"):
            console.print(f"  {plan['description']}", highlight=False)
        console.print(f"  limits: {_limits(plan)}", highlight=False)
        console.print(f"  provider keys: {keys}", highlight=False)
    if any(p["for_sale"] for p in found):
        console.print(
            'Upgrade: POST /api/v1/billing/checkout {"plan": "<name>"} (or the account page).'
        )


@billing_app.command("sync")
def sync() -> None:
    """Re-read every subscription from Stripe and apply it (after webhooks were missed)."""
    from reelforge.billing.sync import sync_all
    from reelforge.runtime import runtime_for

    runtime = runtime_for(load_settings())
    report = sync_all(runtime, mailer=runtime.mailer)
    console.print(
        f"[green]✓[/green] {report.checked} billing account(s) read from Stripe, "
        f"{report.changed} changed"
    )
    for reason in report.failed:
        console.print(f"[yellow]![/yellow] not read: {reason}")
    if report.failed:
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    app.command("plans")(plans)
    app.add_typer(billing_app, name="billing")
