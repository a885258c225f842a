"""The store: SQL tables and migrations (``tables``, ``db``, ``migrations``) and blob storage
(``blobs``). Importing this package is cheap; nothing connects until asked."""
