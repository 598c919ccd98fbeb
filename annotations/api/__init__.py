"""The REST API under /api/v1/: thin views over the services and selectors, one module per resource."""
