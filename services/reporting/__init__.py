"""The reporting service: Summary views, dashboards, the public transparency page and the ITA report."""
