"""Research: creators' public videos, what works for them, and the user's Content DNA.

Pure core, no database and no routes: the service feeds it typed records and
stores what it returns.

* ``models``     — CreatorRef, VideoStats (public metadata only, P14), CreatorProfile, StatSnapshot
* ``importers``  — yt-dlp ``--dump-json`` lines and CSV, validated row by row
* ``frame``      — VideoFrame: the columnar (Polars) table analytics run over
* ``analytics``  — report(): medians, engagement, breakouts, cadence, weekday x hour, lengths
* ``words``      — words and hashtags of top vs bottom quartiles; ``growth`` — from snapshots
* ``charts``     — server-side SVG charts of a report
* ``dna``        — ContentDNA, the wizard's questions and answers; ``derive`` — DNA from videos
* ``ideas``      — topic ideas (offline heuristic, or a prompt for the user's LLM)

The service around it (database, jobs, the user's keys), every query scoped by owner:

* ``tables``     — creators, research videos, stat snapshots, quota use, DNA versions
* ``creators``   — add/list/remove (removal takes all of a creator's data, P15)
* ``ingest``     — upsert videos by platform id, one snapshot per refresh; ``quota`` — daily use
* ``refresh``    — the ``creator_refresh`` job; ``file_import`` — yt-dlp/CSV uploads
* ``workspace``  — the analytics frame per workspace, snapshotted per generation
* ``insights``   — analytics, charts, growth, ideas; ``report_html`` — the HTML report
* ``dna_store``  — DNA versions; ``dna_service`` — wizard and derivation; ``assist`` — the user's LLM
"""
