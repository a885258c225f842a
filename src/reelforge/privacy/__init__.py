"""The user's rights: export of everything they have (P22), deletion (P24), retention."""
