"""Deleting an account completely, at once (promise P24).

Order matters: the paid subscription is cancelled and the Stripe customer
deleted first (an unreachable Stripe stops the deletion before anything
irreversible, and it can be retried), then platform grants are revoked (while the
tokens still exist to revoke), then sessions end, then the rows (one cascading delete), the stored
files, the render caches and the outbox folders go.
"""

from __future__ import annotations

import logging
import shutil

from sqlalchemy.orm import Session

from reelforge.accounts import sessions, users
from reelforge.billing.forget import forget_customer
from reelforge.connections.service import disconnect_all
from reelforge.deps import Deps
from reelforge.providers.platforms.outbox import user_outbox

log = logging.getLogger(__name__)


def delete_account(db: Session, deps: Deps, *, user_id: str) -> None:
    forget_customer(db, deps, user_id=user_id)  # cancel at Stripe, delete the customer
    for result in disconnect_all(db, deps, owner_id=user_id):
        if not result.revoked:
            log.warning(
                "a platform did not confirm revoking a grant; its tokens are deleted anyway"
            )
    sessions.end_all_sessions(db, user_id=user_id)
    users.delete_user(db, settings=deps.settings, user_id=user_id, blobs=deps.blobs)
    shutil.rmtree(user_outbox(deps.settings, user_id), ignore_errors=True)
