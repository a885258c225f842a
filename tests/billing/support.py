"""The billing tests' driver: a user who upgrades through Checkout, and Stripe's webhooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from reelforge.runtime import Runtime
from tests.fakes.stripe import FakeStripe
from tests.web.support import Account, Api

PLANS: dict[str, dict[str, int | float | bool | str | None]] = {
    "free": {"period": "month", "jobs": 2, "renders": 2, "creators": 3, "description": "To try"},
    "pro": {
        "jobs": 100,
        "renders": 100,
        "creators": 50,
        "price_id": "price_pro_monthly",
        "description": "For one creator",
    },
    "studio": {
        "price_id": "price_studio_monthly",
        "server_keys": False,
        "amount": 2900,
        "currency": "usd",
        "interval": "month",
        "description": "Unlimited, with your own provider keys",
    },
}


@dataclass
class Billing:
    api: Api
    stripe: FakeStripe

    @property
    def client(self) -> Any:
        return self.api.client

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.client.app.state.reelforge.runtime
        return runtime

    def checkout(self, account: Account, plan: str = "pro") -> str:
        """Start Checkout; returns the session id from the URL the browser is sent to."""
        answer = self.client.post(
            "/api/v1/billing/checkout", json={"plan": plan}, headers=account.headers
        )
        assert answer.status_code == 200, answer.text
        url = answer.json()["url"]
        assert url.startswith("https://checkout.stripe.com/c/pay/cs_test_")
        return urlsplit(url).path.rsplit("/", 1)[-1]

    def subscribe(self, account: Account, plan: str = "pro") -> str:
        """Checkout, pay, and every webhook delivered; returns the subscription id."""
        session_id = self.checkout(account, plan)
        self.stripe.deliver_all(self.client, self.stripe.pay_checkout(session_id))
        sub_id = self.stripe.sessions[session_id]["subscription"]
        assert isinstance(sub_id, str)
        return sub_id

    def deliver(self, events: list[dict[str, Any]]) -> None:
        self.stripe.deliver_all(self.client, events)

    def plan(self, account: Account) -> str:
        answer = self.client.get("/api/v1/me", headers=account.headers)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["plan"])

    def status(self, account: Account) -> dict[str, Any]:
        answer = self.client.get("/api/v1/billing", headers=account.headers)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def subjects(self, account: Account) -> list[str]:
        return [str(m["Subject"]) for m in self.api.mails(account.email)][1:]  # [0]: sign-in

    def bodies(self, account: Account) -> list[str]:
        found = []
        for message in self.api.mails(account.email)[1:]:
            payload = message.get_payload(decode=True)
            found.append(payload.decode() if isinstance(payload, bytes) else str(payload))
        return found
