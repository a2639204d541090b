"""Pages of the workflow app: my work and its calendar feed, cases, the process dashboard."""
