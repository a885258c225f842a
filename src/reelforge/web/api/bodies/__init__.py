"""Request and response bodies of the REST API, one module per resource group.

One home for every body, so a router never defines its own shapes and two routers
that return the same thing (a job, say) return the same model."""
