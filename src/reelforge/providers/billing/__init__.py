"""Payment providers: the wire clients billing uses (Stripe today), one module each."""
