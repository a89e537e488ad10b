"""The workflow service: Cases: routing, assignment, lifecycle and Thai-calendar deadlines; staff API."""
