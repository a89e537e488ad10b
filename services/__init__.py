"""The four Siang services: intake, workflow, notifications, reporting."""
