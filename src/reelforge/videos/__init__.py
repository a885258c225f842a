"""Videos as a service: the video rows, their files in the blob store and the render job
around the studio. The studio itself renders with no database; this package is what
stores, queues and serves its results for the API, the CLI and the dashboard."""
