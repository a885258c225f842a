"""Research: creators' public videos, what works for them, and the user's Content DNA.

The pure core, no database (typed records in, results out):

* ``import_formats`` — yt-dlp ``--dump-json`` lines and CSV, validated row by row
* ``frame``          — VideoFrame: the columnar (Polars) table analytics run over
* ``analytics``      — report(): medians, engagement, breakouts, cadence, weekday x hour, lengths
  (its results are ``analytics_results``); ``growth`` — views gained, from stat snapshots
* ``title_words``    — tokens, stop words and hook patterns of titles;
  ``word_stats`` — which words and hashtags top videos use and bottom ones do not
* ``charts``, ``report_charts``, ``svg`` — server-side SVG charts; ``report_html`` — the HTML report
* ``ideas``          — topic ideas (offline heuristic, or a prompt for the user's LLM)
* ``dna/``           — the Content DNA: ``profile`` (model and wizard), ``derive`` (from videos,
  with evidence), ``diff`` (between versions)

The service around it (database, jobs, the user's keys), every query scoped by owner:

* ``tables``         — creators, research videos, stat snapshots, quota use, DNA versions
* ``creators``       — add/list/find/remove (removal takes all of a creator's data, P15);
  ``manage`` — uploads and removal as the doors call them; ``overview`` — the list's figures
* ``import_service`` — a file into a creator's videos; ``ingest`` — upsert by platform id, one
  snapshot per refresh; ``quota`` — daily API use, counted in the store
* ``refresh_job``    — the ``creator_refresh`` job (registered in ``jobs``)
* ``workspace``      — the analytics frame per workspace, snapshotted per generation
* ``report_service`` — analytics, charts, growth and ideas for a workspace or one creator
* ``dna/versions``   — DNA versions; ``dna/service`` — by hand, by wizard, by derivation;
  ``assist`` — the user's chosen language model for research
"""
