"""Edges: one small module per external (or embedded) provider, behind one class per kind."""
