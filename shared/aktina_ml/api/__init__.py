"""HTTP API plumbing shared by the serving functions (Powertools REST resolver)."""
