"""The workflow's pure domain: lifecycle, routing, assignment and deadlines. No I/O here."""
