"""Request and response bodies shared by the account routers.

Every request model forbids unknown fields (a typo such as ``age_confirm``
is an error, not silently ignored) and carries an example, which /docs shows
and the cross-tenant test sends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from reelforge.accounts import usage as usage_service
from reelforge.accounts.tables import User


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


Email = Field(min_length=3, max_length=320, examples=["you@example.com"])


class Accepted(BaseModel):
    status: str = "accepted"
    message: str


class UserOut(BaseModel):
    id: str
    email: str
    name: str | None
    has_password: bool
    plan: str
    created_at: datetime

    @classmethod
    def of(cls, user: User, *, default_plan: str) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            has_password=user.password_hash is not None,
            plan=user.plan or default_plan,
            created_at=user.created_at,
        )


class CodeRequest(BaseModel):
    model_config = _examples({"email": "you@example.com"})
    email: str = Email


class VerifyRequest(BaseModel):
    model_config = _examples(
        {"email": "you@example.com", "code": "123456", "age_confirmed": True, "name": "Sam"}
    )
    email: str = Email
    code: str = Field(min_length=1, max_length=12, examples=["123456"])
    age_confirmed: StrictBool = Field(
        default=False,
        description="True when the user confirms they are 13 or older (needed "
        "to create an account).",
    )
    name: str | None = Field(default=None, max_length=200)


class LoginRequest(BaseModel):
    model_config = _examples({"email": "you@example.com", "password": "correct horse battery"})
    email: str = Email
    password: str = Field(min_length=1, max_length=1024)


class SignedIn(BaseModel):
    token: str
    user: UserOut


class ProfilePatch(BaseModel):
    model_config = _examples({"name": "Sam Rivera"})
    name: str | None = Field(default=None, max_length=200)


class EmailChange(BaseModel):
    model_config = _examples({"new_email": "new@example.com"})
    new_email: str = Email


class EmailConfirm(BaseModel):
    model_config = _examples({"code": "123456"})
    code: str = Field(min_length=1, max_length=12)


class PasswordSet(BaseModel):
    model_config = _examples({"password": "correct horse battery", "current_password": None})
    password: str = Field(min_length=1, max_length=1024)
    current_password: str | None = Field(default=None, max_length=1024)


class ApiKeyCreate(BaseModel):
    model_config = _examples({"name": "my laptop"})
    name: str = Field(min_length=1, max_length=100)


class ApiKeyOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    request_count: int


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself. Shown only now: store it safely.")


class ProviderKeyPut(BaseModel):
    model_config = _examples({"key": "sk-example-0000"})
    key: str = Field(min_length=1, max_length=4096)


class ProviderKeyOut(BaseModel):
    provider: str
    added_at: datetime
    last_four: str


class MetricOut(BaseModel):
    used: float
    limit: float | None


class UsageOut(BaseModel):
    plan: str
    period: str
    period_start: datetime
    resets_at: datetime
    metrics: dict[str, MetricOut]

    @classmethod
    def of(cls, summary: usage_service.UsageSummary) -> UsageOut:
        return cls(
            plan=summary.plan,
            period=summary.period,
            period_start=summary.period_start,
            resets_at=summary.resets_at,
            metrics={k: MetricOut(used=v.used, limit=v.limit) for k, v in summary.metrics.items()},
        )
